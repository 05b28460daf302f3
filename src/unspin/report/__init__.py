"""Reports of check results: JSON lines for machines, CSV for spreadsheets, a terminal view for
people, and a batch summary; ``formats`` feeds them all the same records."""

from .formats import WRITERS, CheckItem, CheckWriter, record_label, writer_for
from .json import check_record, index_info, result_to_dict, summary_to_dict
from .summary import BatchSummary
from .terminal import render

__all__ = ["WRITERS", "BatchSummary", "CheckItem", "CheckWriter", "check_record", "index_info", "record_label",
           "render", "result_to_dict", "summary_to_dict", "writer_for"]
