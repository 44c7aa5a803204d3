"""The door-to-door survey (附件2 河源市贫困劳动力调查表): its choice lists, its form and how a
survey is shown.

Labels keep the form's own Chinese wording, in the form's order (its one typo, 中公预备党员, is
corrected to 中共预备党员); English is in the English catalog.
"""

from ..models import (
    Education,
    EmploymentForm,
    EmploymentStatus,
    Health,
    HouseholdType,
    IncomeBand,
    LocationClass,
    MaritalStatus,
    PoliticalStatus,
    Sex,
)
from .choices import (
    DESTINATIONS_OF,
    WORKING,
    Certificate,
    Channel,
    Destination,
    DestinationRegion,
    EmployerType,
    Industry,
    NotWorkingReason,
    StartupSupport,
    Trade,
    TrainingKind,
    TrainingReceived,
    WishedForm,
    WishedLocation,
    YesNo,
    wants_work,
)
from .display import answer_display, survey_changes, survey_summary
from .form import SurveyForm

__all__ = [
    "Certificate",
    "Channel",
    "DESTINATIONS_OF",
    "Destination",
    "DestinationRegion",
    "Education",
    "EmployerType",
    "EmploymentForm",
    "EmploymentStatus",
    "Health",
    "HouseholdType",
    "IncomeBand",
    "Industry",
    "LocationClass",
    "MaritalStatus",
    "NotWorkingReason",
    "PoliticalStatus",
    "Sex",
    "StartupSupport",
    "SurveyForm",
    "Trade",
    "TrainingKind",
    "TrainingReceived",
    "WORKING",
    "WishedForm",
    "WishedLocation",
    "YesNo",
    "answer_display",
    "survey_changes",
    "survey_summary",
    "wants_work",
]
