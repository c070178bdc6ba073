"""Who may do what with a board and its meetings. The partnership's coordinators (and county
officers) manage a board; its current members read it and its meetings; its current chair also
takes and approves their minutes. To anyone else who sees the partnership a board is forbidden;
to the rest it does not exist, like a partnership not theirs."""

from dataclasses import dataclass, field
from datetime import date

from contracts.vocabulary import BoardOffice
from eventkit.auth import Principal
from eventkit.errors import Forbidden, NotFound
from services.membership.domain.board import Board
from services.membership.domain.partnership import Partnership
from services.membership.service_layer import access

COORDINATORS = "the partnership's coordinators or a county officer"
READERS = "the board's members and the partnership's coordinators"
MINUTE_TAKERS = "the partnership's coordinators or the board's chair"
ACTION_CLOSERS = "the action's owner, the board's chair or the partnership's coordinators"


@dataclass(frozen=True)
class BoardCaller:
    """The caller as they stand to one board, today."""

    principal: Principal
    partnership: Partnership
    board: Board
    hidden: str
    """What a caller who may not know of the board is told: what an id that does not exist is."""
    today: date = field(default_factory=date.today)

    @property
    def coordinates(self) -> bool:
        return access.coordinates(self.principal, self.partnership)

    @property
    def reads(self) -> bool:
        return self.coordinates or self.board.sits(self.principal.person_id, self.today)

    @property
    def takes_minutes(self) -> bool:
        person_id = self.principal.person_id
        chairs = person_id is not None and self.board.holds(
            person_id, BoardOffice.CHAIR, self.today
        )
        return self.coordinates or chairs

    def require(self, allowed: bool, who: str) -> None:
        """Let an allowed caller through; tell one who may know of the board who may do this
        (403), and the others nothing (404)."""
        if allowed:
            return
        if self.reads or access.sees(self.principal, self.partnership):
            raise Forbidden(f"only {who} may do this")
        raise NotFound(self.hidden)
