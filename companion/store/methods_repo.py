"""Payment-method rows: kind, label, masked hint and where the secrets are in the keyring — never a secret."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from companion.domain.errors import NotFound
from companion.domain.payment_methods import PaymentMethod
from companion.store.tables import PaymentMethodRow, PayoutRow


def _method(row: PaymentMethodRow) -> PaymentMethod:
    assert row.id is not None
    fields = tuple(name for name in row.fields.split(",") if name)
    return PaymentMethod(
        row.id, row.kind, row.label, row.hint, row.keyring_service, row.keyring_ref, fields, row.created_at
    )


class MethodRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _row(self, profile_id: int, method_id: int) -> PaymentMethodRow:
        row = self.s.get(PaymentMethodRow, method_id)
        if row is None or row.profile_id != profile_id:
            raise NotFound(f"payment method {method_id} does not exist")
        return row

    def get(self, profile_id: int, method_id: int) -> PaymentMethod:
        return _method(self._row(profile_id, method_id))

    def all(self, profile_id: int) -> list[PaymentMethod]:
        query = (
            select(PaymentMethodRow)
            .where(PaymentMethodRow.profile_id == profile_id)
            .order_by(col(PaymentMethodRow.label), col(PaymentMethodRow.id))
        )
        return [_method(r) for r in self.s.exec(query)]

    def label_taken(self, profile_id: int, label: str, except_id: int | None = None) -> bool:
        query = select(PaymentMethodRow.id).where(
            PaymentMethodRow.profile_id == profile_id, PaymentMethodRow.label == label
        )
        if except_id is not None:
            query = query.where(PaymentMethodRow.id != except_id)
        return self.s.exec(query).first() is not None

    def add(
        self, profile_id: int, kind: str, label: str, hint: str, service: str, ref: str, fields: tuple[str, ...],
        now: datetime,
    ) -> PaymentMethod:  # fmt: skip
        row = PaymentMethodRow(
            profile_id=profile_id, kind=kind, label=label, hint=hint, keyring_service=service, keyring_ref=ref,
            fields=",".join(fields), created_at=now,
        )  # fmt: skip
        self.s.add(row)
        self.s.flush()
        return _method(row)

    def update(
        self, profile_id: int, method_id: int, label: str, hint: str, ref: str, fields: tuple[str, ...]
    ) -> PaymentMethod:
        row = self._row(profile_id, method_id)
        row.label, row.hint, row.keyring_ref, row.fields = label, hint, ref, ",".join(fields)
        self.s.add(row)
        self.s.flush()
        return _method(row)

    def delete(self, profile_id: int, method_id: int) -> PaymentMethod:
        row = self._row(profile_id, method_id)
        method = _method(row)
        self.s.delete(row)
        self.s.flush()
        return method

    def hints(self, profile_id: int) -> dict[int, str]:
        query = select(PaymentMethodRow.id, PaymentMethodRow.label, PaymentMethodRow.hint).where(
            PaymentMethodRow.profile_id == profile_id
        )
        return {int(i): f"{label} ({hint})" if hint else label for i, label, hint in self.s.exec(query) if i}

    def payouts_using(self, method_id: int) -> int:
        query = select(PayoutRow.id).where(PayoutRow.method_id == method_id)
        return len(list(self.s.exec(query)))
