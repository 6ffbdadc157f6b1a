"""The one error an importer raises: the file cannot be read as a submission at all."""


class SubmissionError(Exception):
    """A Chinese message that names the file; the command exits 2 and writes nothing."""
