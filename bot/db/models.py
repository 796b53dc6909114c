"""Imports every model so Base.metadata is complete (Alembic, create_all in tests)."""
from bot.actions.models import Acknowledgement, ActionItem  # noqa: F401
from bot.audit.models import AuditEntry, ProcessedEvent, SeenTrigger, ThrottleHit  # noqa: F401
from bot.conference.models import Conference  # noqa: F401
from bot.db.base import Base  # noqa: F401
from bot.region.models import Actor, Member, MemberRole, Region  # noqa: F401
from bot.report.models import Report, ReportVersion  # noqa: F401
from bot.schedule.models import JobClaim  # noqa: F401
from bot.slack.models import OutboxMessage, SlackMessage  # noqa: F401
from bot.activation import models as _activation_models  # noqa: F401,E402
from bot.floor import models as _floor_models  # noqa: F401,E402
from bot.summary import models as _summary_models  # noqa: F401,E402
from bot.actions import decline_models as _decline_models  # noqa: F401,E402
from bot.agenda import models as _agenda_models  # noqa: F401,E402
from bot.analysis import models as _analysis_models  # noqa: F401,E402
from bot.conference import close_models as _close_models  # noqa: F401,E402
from bot.questions import models as _question_models  # noqa: F401,E402
from bot.record import models as _record_models  # noqa: F401,E402
from bot.cases import models as _cases_models  # noqa: F401,E402
from bot.conflicts import models as _conflicts_models  # noqa: F401,E402
from bot.evaluation import models as _evaluation_models  # noqa: F401,E402
from bot.lessons import models as _lessons_models  # noqa: F401,E402
from bot.people import models as _people_models  # noqa: F401,E402
