"""HTTP route for the history of a record: translate, call the query."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from eventkit.auth import CurrentPrincipal
from services.reporting.domain.history import HistoryEntry, RecordKind
from services.reporting.entrypoints.dependencies import History
from services.reporting.service_layer import history as service
from services.reporting.service_layer.history import MOST_ENTRIES

router = APIRouter(tags=["history"])


@router.get(
    "/history/{kind}/{record_id}",
    summary="County officers: every change to a record, oldest first, with when and by whom",
)
async def history_of(
    kind: RecordKind,
    record_id: Annotated[str, Path(min_length=1, max_length=64)],
    store: History,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=MOST_ENTRIES)] = 200,
) -> list[HistoryEntry]:
    return await service.history_of(store, principal, kind, record_id, limit)
