"""Import every model so that ``Base.metadata`` is complete (Alembic, tests)."""

from app.audit.models import AuditEvent  # noqa: F401
from app.db import Base  # noqa: F401
from app.health import HealthCheck  # noqa: F401
from app.ratelimit import RateLimitHit  # noqa: F401
from app.users.models import ApiToken, User, UserCamp, UserRole, UserSession  # noqa: F401
from camps.allocation.models import PlotAllocation  # noqa: F401
from camps.communication.models import Message, MessageCase, MessageSend, MessageText, NoticeBoard  # noqa: F401
from camps.communication.sms.models import SmsOutbox, SmsPart  # noqa: F401
from camps.distributions.models import AlternateCollector, Collection, DistributionRound, RoundItem  # noqa: F401
from camps.feedback.models import CaseEvent, FeedbackCase, FeedbackCounter, Kiosk  # noqa: F401
from camps.figures.models import NeedCount, PopulationCount  # noqa: F401
from camps.layout.models import Block, Facility, Plot, Sector  # noqa: F401
from camps.sites.models import Camp  # noqa: F401
from registration.cards.models import Card, PrintJob, SigningKey  # noqa: F401
from registration.dedup.models import DuplicatePair  # noqa: F401
from registration.households.models import Household, Person, PersonKey, PersonNeed, PersonPhoto  # noqa: F401
from registration.imports.models import ImportBatch  # noqa: F401
