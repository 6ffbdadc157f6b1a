"""bulletin: authoring and typesetting toolchain for 《代表工作》."""

__version__ = "0.1.0"
