"""SQLAlchemy models, one module per domain. Importing this package registers every table."""
from .accounts import LoginAttempt, PasswordResetToken, Role, User  # noqa: F401
from .api import ApiRateWindow, ApiToken, TokenScope  # noqa: F401
from .audit import AuditEntry  # noqa: F401
from .base import Base, db, utcnow  # noqa: F401
from .groups import (  # noqa: F401
    AttendanceStatus,
    CalendarFeedToken,
    GroupAxis,
    GroupMembership,
    GroupRole,
    GroupStatus,
    Meeting,
    MeetingAttachment,
    MeetingAttendance,
    MembershipStatus,
    WorkingGroup,
)
from .introductions import (  # noqa: F401
    Introduction,
    IntroductionStatus,
    MatchDismissal,
    MatcherWeights,
    MatchRun,
    MatchSuggestion,
    SuggestionAction,
)
from .kpis import (  # noqa: F401
    EvaluationScore,
    EvaluationWeights,
    Evaluator,
    KpiManualValue,
    KpiStoredFigure,
    KpiStoredYear,
    KpiTarget,
    PublicIndicator,
)
from .matching import MatchAnalysis, MatchState, MatchTermCount, NeedPair  # noqa: F401
from .members import (  # noqa: F401
    ApplicationStatus,
    ChangeKind,
    ChangeRequest,
    ChangeRequestStatus,
    Due,
    DueStatus,
    Invitation,
    MembershipApplication,
    Office,
    OfficeKind,
    StatusChange,
)
from .needs import (  # noqa: F401
    BusinessStage,
    Confidentiality,
    EventKind,
    Law,
    NationalRoute,
    NeedAttachment,
    NeedEvent,
    NeedStatus,
    PackageEvent,
    PackageStatus,
    ProposalPackage,
    RegulatoryNeed,
    SpecialMeasure,
    Urgency,
    need_tags,
)
from .notifications import Notification  # noqa: F401
from .outbox import OutgoingMail  # noqa: F401
from .organisations import (  # noqa: F401
    CAPABILITY_KINDS,
    IndustryCategory,
    MembershipTier,
    Organisation,
    OrganisationStatus,
    Sector,
    listed_in,
    tags_in,
)
from .submissions import SubmissionKey  # noqa: F401
from .trials import (  # noqa: F401
    TRIAL_TRANSITIONS,
    ChallengeProposal,
    ChallengeStatus,
    ProposalStatus,
    RegionalChallenge,
    SiteAvailability,
    SiteKind,
    SupportKind,
    TrialRequest,
    TrialRequestAttachment,
    TrialRequestMessage,
    TrialRequestStatus,
    TrialResult,
    TrialSite,
    technologies_in,
)
