"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from service.access import models as access_models
from service.analyses import models as analyses_models
from service.arrangements import models as arrangements_models
from service.audit import models as audit_models
from service.definitions import models as definitions_models
from service.episodes import models as episodes_models
from service.ingest import models as ingest_models
from service.kit import idempotency
from service.kit.db import Base
from service.settlements import models as settlements_models
from service.webhooks import models as webhooks_models

metadata = Base.metadata

__all__ = [
    "access_models",
    "analyses_models",
    "arrangements_models",
    "audit_models",
    "definitions_models",
    "episodes_models",
    "idempotency",
    "ingest_models",
    "metadata",
    "settlements_models",
    "webhooks_models",
]
