"""The customer 360 as data: one person, all their merged profiles, in one document.

Later contexts (orders, conversations, loyalty, scores) add their own sections through their
own queries; this module assembles what the customers context knows.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from mostrador.core.ids import WorkspaceId
from mostrador.customers import queries
from mostrador.customers.consent_rules import effective_consents
from mostrador.customers.models import Customer


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _profile_fields(c: Customer) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "display_name": c.display_name,
        "language": c.language,
        "country": c.country,
        "preferred_channel": c.preferred_channel,
        "home_location_id": str(c.home_location_id) if c.home_location_id else None,
        "tags": list(c.tags),
        "attributes": dict(c.attributes),
        "city": c.city,
        "address": c.address,
        "postcode": c.postcode,
        "birth_date": _iso(c.birth_date),
        "status": c.status,
        "created_at": _iso(c.created_at),
        "updated_at": _iso(c.updated_at),
    }


def person_document(
    session: Session,
    workspace_id: WorkspaceId,
    survivor_id: uuid.UUID,
    *,
    timeline_limit: int | None = 100,
) -> dict[str, Any]:
    """Profile, identifiers, consents, suggestions, merges and timeline of one person."""
    survivor = queries.customer(session, workspace_id, survivor_id)
    members = queries.group_ids(session, workspace_id, survivor.id)
    consent_rows = queries.consent_rows(session, workspace_id, members)
    effective = effective_consents(queries.consent_decisions(consent_rows))
    events = queries.timeline(
        session,
        workspace_id,
        members,
        limit=timeline_limit if timeline_limit is not None else 1_000_000,
    )
    return {
        **_profile_fields(survivor),
        "merged_profiles": [
            _profile_fields(queries.customer(session, workspace_id, m)) for m in members[1:]
        ],
        "identifiers": [
            {
                "id": str(i.id),
                "customer_id": str(i.customer_id),
                "kind": i.kind,
                "raw_value": i.raw_value,
                "normalized_value": i.normalized_value,
                "channel_value": i.channel_value,
                "source_channel": i.source_channel,
                "verified": i.verified,
                "shared": i.shared,
                "first_seen_at": _iso(i.first_seen_at),
                "last_seen_at": _iso(i.last_seen_at),
            }
            for i in queries.identifiers(session, workspace_id, members)
        ],
        "consents": {
            "effective": [
                {"purpose": purpose, "channel": channel, "granted": granted}
                for (purpose, channel), granted in effective.items()
            ],
            "history": [
                {
                    "customer_id": str(r.customer_id),
                    "purpose": r.purpose,
                    "channel": r.channel,
                    "granted": r.granted,
                    "source": r.source,
                    "evidence": r.evidence,
                    "recorded_at": _iso(r.recorded_at),
                    "actor": r.actor,
                }
                for r in consent_rows
            ],
        },
        "merge_suggestions": [
            {
                "id": str(s.id),
                "other_customer_id": str(
                    s.customer_b_id if s.customer_a_id in members else s.customer_a_id
                ),
                "score": s.score,
                "explanation": s.explanation,
            }
            for s in queries.suggestions(session, workspace_id, customer_ids=members, status="open")
        ],
        "merges": [
            {
                "id": str(m.id),
                "survivor_id": str(m.survivor_id),
                "merged_id": str(m.merged_id),
                "reason": m.reason,
                "score": m.score,
                "merged_at": _iso(m.merged_at),
                "merged_by": m.merged_by,
                "undone_at": _iso(m.undone_at),
                "undone_by": m.undone_by,
            }
            for m in queries.merges(session, workspace_id, members)
        ],
        "timeline": [
            {
                "id": str(e.id),
                "type": e.type,
                "occurred_at": _iso(e.occurred_at),
                "actor": e.actor,
                "customer_id": str(e.customer_id) if e.customer_id else None,
                "payload": e.payload,
            }
            for e in events
        ],
    }
