"""What happened to each promotion and each entered coupon while one cart was priced.

Kept so the UI can say why a promotion did not apply, and the checkout can tell the
customer why a code was refused (``coupon_unknown``, ``coupon_expired``...).
"""

from __future__ import annotations

from dataclasses import dataclass

from mostrador.commerce.promotions import Promotion

# Refusals that already read as a coupon problem; any other becomes ``coupon_not_applicable``.
_COUPON_REASONS = frozenset(
    {"coupon_used_up", "coupon_limit_per_customer", "coupon_customer_required"}
)


@dataclass(frozen=True, slots=True)
class PromotionEvaluation:
    """One promotion that could touch the cart and whether it applied (else why not)."""

    promotion_id: str
    kind: str
    applied: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class RejectedCoupon:
    """A code the customer entered that gave nothing; ``detail`` is the underlying reason."""

    code: str
    reason: str
    detail: str | None = None


class OutcomeLog:
    """The outcomes of one pricing run, in the order the promotions were evaluated."""

    __slots__ = ("applied", "codes", "coupon_failures", "coupons_used", "evaluations")

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.codes = codes
        self.evaluations: list[PromotionEvaluation] = []
        self.applied: list[tuple[Promotion, int]] = []
        self.coupons_used: set[str] = set()
        self.coupon_failures: dict[str, str] = {}

    def note(self, promotion: Promotion, amount: int, reason: str | None) -> None:
        """Record the outcome of one promotion (``amount`` in minor units) and of its coupon."""
        applied = reason is None
        self.evaluations.append(PromotionEvaluation(promotion.id, promotion.kind, applied, reason))
        if applied and promotion.scope != "offer":
            self.applied.append((promotion, amount))
        coupon = promotion.conditions.coupon
        if coupon is not None and coupon.code in self.codes:
            if reason is None:
                self.coupons_used.add(coupon.code)
            else:
                # The first refusal in application order is the one the customer hears.
                self.coupon_failures.setdefault(coupon.code, reason)

    def coupons_applied(self) -> tuple[str, ...]:
        """Entered codes that unlocked something, in the order they were entered."""
        return tuple(code for code in self.codes if code in self.coupons_used)

    def rejected_coupons(self, known_codes: frozenset[str]) -> tuple[RejectedCoupon, ...]:
        """Entered codes that gave nothing, with the reason the customer can be told."""
        rejected: list[RejectedCoupon] = []
        for code in self.codes:
            if code in self.coupons_used:
                continue
            if code not in known_codes:
                rejected.append(RejectedCoupon(code, "coupon_unknown"))
                continue
            # A known code whose promotion targets nothing in the cart was never evaluated.
            failure = self.coupon_failures.get(code, "no_matching_lines")
            if failure in _COUPON_REASONS:
                rejected.append(RejectedCoupon(code, failure))
            elif failure == "expired":
                rejected.append(RejectedCoupon(code, "coupon_expired", failure))
            else:
                rejected.append(RejectedCoupon(code, "coupon_not_applicable", failure))
        return tuple(rejected)
