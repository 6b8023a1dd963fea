"""Type stubs of the marsad extension module (crates/marsad-py/src/lib.rs)."""

from os import PathLike
from typing import Any, Dict, List, Mapping, Optional, Union

import pyarrow

__version__: str
LAYERS: List[str]
"""Layer names: documents, events, quotes, entities, times, counts."""

def init(
    lexicon_dir: Optional[Union[str, "PathLike[str]"]] = None,
    max_bytes: int = 2097152,
) -> None:
    """Build the extractor now, optionally with a lexicon overlay folder
    (default: $MARSAD_LEXICON_DIR). Raises ValueError for a bad overlay."""

def extract(doc: Mapping[str, Any]) -> Dict[str, Any]:
    """The analysis record of one article (a dict with `id`, `text` and
    optional `date`, `source`, `url`, `title`), as `marsad extract` prints
    it. Raises ValueError naming the document on bad input."""

def extract_batch(
    batch: pyarrow.RecordBatch, layer: Optional[str] = None
) -> pyarrow.RecordBatch:
    """Analyse a batch of articles (columns `id`, `text`, optional `date`,
    `source`, `url`, `title`). With `layer`, that layer's table
    (`schema(layer)`); without, one row per article with a list<struct>
    column per layer. Raises ValueError naming the row and id on bad input."""

def schema(layer: Optional[str] = None) -> pyarrow.Schema:
    """The Arrow schema extract_batch returns for `layer` (None: nested)."""
