"""cleaner: strip boilerplate (donation appeals, read-also blocks, comment notices and their
family) from news articles, in text or HTML, and report every removal."""

from .core import Cleaner, clean
from .decode import InputError
from .report import Note, Removal, Result
from .rules import Rule, RuleError, load_rules

__all__ = ["Cleaner", "InputError", "Note", "Removal", "Result", "Rule", "RuleError", "clean", "load_rules"]
__version__ = "0.1.0"
