"""Handlers for a partnership's boards and their members (who may do what:
services/membership/service_layer/board_access.py)."""

from datetime import date

from eventkit.auth import Principal
from eventkit.errors import Conflict, Invalid, NotFound
from services.membership.domain.board import Appointment, Board, BoardDetails, BoardMember
from services.membership.service_layer import access, people
from services.membership.service_layer.board_access import COORDINATORS, READERS, BoardCaller
from services.membership.service_layer.unit_of_work import UnitOfWork


async def caller_of(uow: UnitOfWork, principal: Principal, board_id: str) -> BoardCaller:
    """The board and how the caller stands to it; 404 for one that does not exist."""
    board = await uow.boards.get(board_id)
    partnership = await uow.partnerships.get(board.partnership_id) if board else None
    hidden = f"no board {board_id}"
    if board is None or partnership is None:
        raise NotFound(hidden)
    return BoardCaller(principal, partnership, board, hidden)


async def form_board(
    uow: UnitOfWork, principal: Principal, pid: str, details: BoardDetails
) -> Board:
    async with uow:
        partnership = access.require_visible(principal, await uow.partnerships.get(pid), pid)
        access.require_coordinator(principal, partnership)
        name = details.name.casefold()
        if any(b.details.name.casefold() == name for b in await uow.boards.of_partnership(pid)):
            raise Conflict(f"the partnership has a board named {details.name} already")
        board = Board.form(pid, details)
        await uow.boards.add(board)
        await uow.commit()
    return board


async def boards_of(uow: UnitOfWork, principal: Principal, pid: str) -> list[Board]:
    """Coordinators see every board of the partnership, others those they sit on."""
    async with uow:
        partnership = await uow.partnerships.get(pid)
        found = await uow.boards.of_partnership(pid) if partnership else []
    if partnership is None:
        raise NotFound(f"no partnership {pid}")
    readable = [b for b in found if BoardCaller(principal, partnership, b, "").reads]
    if not (readable or access.sees(principal, partnership)):
        raise NotFound(f"no partnership {pid}")
    return readable


async def get_board(uow: UnitOfWork, principal: Principal, board_id: str) -> Board:
    async with uow:
        caller = await caller_of(uow, principal, board_id)
    caller.require(caller.reads, READERS)
    return caller.board


async def appoint(
    uow: UnitOfWork, principal: Principal, board_id: str, appointment: Appointment
) -> BoardMember:
    async with uow:
        caller = await caller_of(uow, principal, board_id)
        caller.require(caller.coordinates, COORDINATORS)
        person = await uow.people.get(appointment.person_id)
        if person is None or not await people.may_see(uow, principal, person):
            raise Invalid(f"person_id: no person {appointment.person_id}: add them first")
        if person.details is None:
            raise Conflict(f"person {person.id} has been erased")
        urn = appointment.represents_urn
        if urn is not None and not caller.partnership.is_member(urn):
            raise Invalid(f"represents_urn: school {urn} is not a member of the partnership")
        member = caller.board.appoint(appointment)
        await uow.boards.save(caller.board)
        await uow.commit()
    return member


async def stand_down(
    uow: UnitOfWork, principal: Principal, board_id: str, member_id: str, on: date
) -> BoardMember:
    async with uow:
        caller = await caller_of(uow, principal, board_id)
        caller.require(caller.coordinates, COORDINATORS)
        member = caller.board.stand_down(member_id, on)
        await uow.boards.save(caller.board)
        await uow.commit()
    return member
