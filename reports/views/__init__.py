"""The report pages: the final (implementation) report, course D's interim report and the
attendance of online sessions."""

from .attendance import AttendanceEdit
from .final import ReportDetail, ReportEdit, ReportPhotoView, ReportReview
from .interim import InterimDetail, InterimEdit, InterimReview

__all__ = [
    "AttendanceEdit",
    "InterimDetail",
    "InterimEdit",
    "InterimReview",
    "ReportDetail",
    "ReportEdit",
    "ReportPhotoView",
    "ReportReview",
]
