"""Whose account a position is (FORMAT.md, "Additions of 1.1"), for both catalog readers."""

from __future__ import annotations


class AccountRules:
    """Mixed into a reader that fills `source_accounts` (source id -> its `according_to`) and
    `roles` (party id -> role) before it reads positions."""

    source_accounts: dict[str, str]
    roles: dict[str, str]

    def account(self, own: str | None, sources: tuple[str, ...]) -> str | None:
        """The position's own `according_to`, else the first of its sources that names one."""
        if own is not None:
            return own
        accounts = self.source_accounts
        for sid in sources:
            if sid in accounts:
                return accounts[sid]
        return None

    def is_claim(self, party: str, account: str | None) -> bool:
        """One side's account of another party's stance: the account is a different party with
        role `party` (a mediator's account of a side is not a claim)."""
        return account is not None and account != party and self.roles.get(account) == "party"
