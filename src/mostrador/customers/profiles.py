"""Writers for one person's profile and for bringing contacts in through identity resolution."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mostrador.core.errors import InvalidInput
from mostrador.core.ids import LocationId, WorkspaceId
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import queries
from mostrador.customers.build import parse_birth_date
from mostrador.customers.events import CustomerUpdated
from mostrador.customers.models import Customer
from mostrador.customers.normalize import CHANNELS
from mostrador.customers.records import RawRecord
from mostrador.customers.resolving import Resolved, index_customer, resolve_contact, stored_record
from mostrador.customers.schemas import ContactInput, CustomerPatch, IdentifierInput


def register_contact(
    uow: UnitOfWork, workspace_id: WorkspaceId, contact: ContactInput, *, actor: str | None = None
) -> Resolved:
    """Bring one contact in: attached to its customer, or a new one (maybe with suggestions)."""
    if not contact.identifiers and not contact.name:
        raise InvalidInput(
            "a contact needs a name or at least one identifier", code="empty_contact"
        )
    with uow.transaction(workspace_id, actor) as tx:
        return resolve_contact(tx, workspace_id, contact)


@dataclass
class ImportReport:
    created: int = 0
    attached: int = 0
    suggested: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def import_contacts(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    contacts: Iterable[tuple[int, ContactInput]],
    *,
    batch_size: int = 500,
    actor: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Resolve numbered contacts (e.g. lines of a POS export) in transactions of ``batch_size``;
    each contact sees the ones before it, so duplicates inside the file become one customer."""
    report = ImportReport()
    batch: list[tuple[int, ContactInput]] = []

    def flush() -> None:
        with uow.transaction(workspace_id, actor) as tx:
            for _line, contact in batch:
                resolved = resolve_contact(tx, workspace_id, contact)
                tx.session.flush()
                if resolved.outcome == "attached":
                    report.attached += 1
                elif resolved.outcome == "suggested":
                    report.suggested += 1
                else:
                    report.created += 1
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for line, contact in contacts:
        if not contact.identifiers and not contact.name:
            report.rejected.append((line, "no name and no identifier"))
            continue
        batch.append((line, contact))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return report


def update_customer(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    patch: CustomerPatch,
    *,
    actor: str | None = None,
) -> Customer:
    """Edit the person's profile (the surviving profile of their merge group)."""
    changes = patch.model_dump(exclude_unset=True)
    with uow.transaction(workspace_id, actor) as tx:
        target = queries.canonical_customer(tx.session, workspace_id, customer_id)
        if target.status != "active":
            raise InvalidInput(f"customer is {target.status}", code=f"customer_{target.status}")
        not_null = sorted(k for k, v in changes.items() if v is None and k not in _NULLABLE)
        if not_null:
            raise InvalidInput(f"{', '.join(not_null)} cannot be null", code="invalid_input")
        home = changes.get("home_location_id")
        if home is not None:
            try:
                location = LocationId(uuid.UUID(home))
            except ValueError:
                raise InvalidInput(
                    "home_location_id is not a location id", code="invalid_input"
                ) from None
            workspace_queries.location(tx.session, workspace_id, location)
            changes["home_location_id"] = location
        changed = tuple(sorted(k for k, v in changes.items() if getattr(target, k) != v))
        for key in changed:
            setattr(target, key, changes[key])
        if changed:
            target.updated_at = tx.now
            if "display_name" in changed:
                tx.session.flush()
                record, _shared = stored_record(tx, workspace_id, target.id)
                index_customer(tx, workspace_id, target.id, record, replace=True)
            tx.record(CustomerUpdated(customer_id=target.id, changed=changed))
        return target


_NULLABLE = frozenset({"preferred_channel", "home_location_id", "birth_date"})


_CSV_COLUMNS = (
    ("phone", "phone"),
    ("email", "email"),
    ("handle", "instagram"),
    ("document", "document"),
)


def contact_from_record(raw: RawRecord, default_country: str) -> ContactInput:
    """An input-file record as a contact: one identifier per filled column; an unknown
    ``source`` counts as an import, a country that is not an ISO code as the default."""
    source = raw.source if raw.source in CHANNELS else "import"
    country = raw.country.strip().upper()
    identifiers = [
        IdentifierInput(kind=kind, value=getattr(raw, column).strip()[:320], source_channel=source)
        for column, kind in _CSV_COLUMNS
        if getattr(raw, column).strip()
    ]
    return ContactInput(
        name=raw.name.strip()[:200],
        identifiers=identifiers,
        source_channel=source,
        country=country if len(country) == 2 and country.isalpha() else default_country,
        city=raw.city.strip()[:120],
        address=raw.address.strip()[:200],
        postcode=raw.postcode.strip()[:20],
        birth_date=parse_birth_date(raw.birth_date),
    )
