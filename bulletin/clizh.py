"""Click's own messages (usage, errors, help headings) in Simplified Chinese.

Click looks its messages up through `gettext` names bound in each of its modules;
rebinding those names is the one way to translate them without shipping a .mo file.
`PATCH` does it, on the click version pinned in pyproject.toml only: a test holds every
message below to the text of that version's source.
"""

from __future__ import annotations

from .patches import Patch, Replacement

MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带取值。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "integer": "整数",
    "float": "数",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "Did you mean {possibility}?": "是否想写 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想写：{possibilities}？）",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular if n == 1 else plural, singular if n == 1 else plural)


SUPPORTED_CLICK = "8.5.1"  # pyproject.toml pins it: the messages above are its messages
# The modules whose `_` and `ngettext` (gettext's, bound at their import) are replaced.
MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


def _click_version() -> str:
    """The version of the click imported: from the METADATA installed beside it.

    The same answer as importlib.metadata's, without its import (30 ms, which
    `bulletin --help` would spend on nothing else); importlib.metadata where there is
    no single `click-*.dist-info` beside the package.
    """
    import glob
    import os

    import click

    found = glob.glob(os.path.join(os.path.dirname(os.path.dirname(click.__file__)),
                                   "click-*.dist-info", "METADATA"))
    if len(found) == 1:
        with open(found[0], encoding="utf-8") as metadata:
            for line in metadata:
                if line.startswith("Version:"):
                    return line.partition(":")[2].strip()
                if not line.strip():
                    break  # the end of the headers
    import importlib.metadata

    return importlib.metadata.version("click")


def _replacements() -> list[Replacement]:
    import importlib

    import click.types

    found = []
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            found.append(Replacement(module, "_", lambda original: _gettext))
        if hasattr(module, "ngettext"):
            found.append(Replacement(module, "ngettext", lambda original: _ngettext))
    found.append(Replacement(click.types.IntParamType, "name", lambda original: "整数"))
    found.append(Replacement(click.types.IntRange, "name", lambda original: "整数"))
    return found


PATCH = Patch("bulletin.clizh", "click", SUPPORTED_CLICK, _click_version, _replacements)


def install() -> None:
    """Click's messages in Chinese (once per process); refuses any click but 8.5.1."""
    PATCH.install()


def uninstall() -> None:
    PATCH.uninstall()
