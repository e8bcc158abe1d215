"""cleaner: strip boilerplate (donation appeals, read-also blocks, comment notices and their
family) from news articles, in text or HTML, and report every removal."""

from .core import Cleaner, clean
from .decode import InputError
from .limits import TimeLimitExceeded, time_limit
from .pipeline import Interrupted, Run, Settings
from .progress import Stats
from .records import clean_record, iter_warc
from .report import Note, Removal, Result
from .rules import Rule, RuleError, load_rules
from .tasks import Job

__all__ = ["Cleaner", "InputError", "Interrupted", "Job", "Note", "Removal", "Result", "Rule", "RuleError", "Run",
           "Settings", "Stats", "TimeLimitExceeded", "clean", "clean_record", "iter_warc", "load_rules",
           "time_limit"]
__version__ = "0.1.0"
