"""The published CSV files: RFC 4180, safe to open in a spreadsheet, built column-wise.

The bytes are what pandas' `df.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\\n")`
writes (UTF-8, "\\n" line ends, a field quoted when it holds a comma or a quote), with two
deliberate differences:

* a field holding a carriage return or a line feed is always quoted (RFC 4180). Python 3.11's
  csv module, which pandas uses, leaves a bare CR unquoted when the line terminator is "\\n",
  and readers then split the row there;
* a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single
  quote (OWASP's defence against CSV formula injection), so a spreadsheet shows it as text
  instead of running it. Only text is touched: numbers (negative ones too), dates and missing
  values are written as they are.

Each column becomes one Arrow string array per block of rows (no Python loop over cells for
text, whole numbers and dates), 3-4x faster than pandas on large lists.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.outputs.xlsx import string_bytes

BLOCK_ROWS = 100_000             # rows turned into text at a time (bounds memory)
_NEEDS_QUOTES = r'[,"\r\n]'      # RFC 4180: separator, quote, CR, LF
FORMULA_START = r"^[=+\-@\t\r]"  # OWASP: what a spreadsheet may read as a formula


def neutralise(text: pa.Array) -> pa.Array:
    """Prefix text that starts like a formula with a single quote."""
    starts = pc.match_substring_regex(text, FORMULA_START)
    if not pc.any(starts).as_py():
        return text
    return pc.if_else(starts, pc.binary_join_element_wise("'", text, ""), text)


def _quoted(text: pa.Array) -> pa.Array:
    needs = pc.match_substring_regex(text, _NEEDS_QUOTES)
    if not pc.any(needs).as_py():
        return text
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, text)


def _missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def _object_text(values: pd.Series) -> pa.Array:
    """A column of mixed Python objects: `str()` of each value, as pandas writes them; only
    the values that are text are neutralised."""
    items = values.tolist()
    text = pa.array([None if _missing(v) else str(v) for v in items], type=pa.string())
    is_text = pa.array([isinstance(v, str) for v in items], type=pa.bool_())
    return pc.if_else(is_text, neutralise(text), text)


def _field_text(values: pd.Series) -> pa.Array:
    """One column as unquoted CSV field text (null where the value is missing)."""
    if pd.api.types.is_float_dtype(values.dtype):
        # pandas writes floats as Python's repr does (3.0, 1e-05); Arrow would write 3, 1e-05
        return pa.array([None if v != v else repr(float(v)) for v in values.tolist()],
                        type=pa.string())
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pa.array(values.dt.strftime("%Y-%m-%d"), from_pandas=True, type=pa.string())
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return _object_text(values)
    t = arr.type
    if pa.types.is_dictionary(t) and pa.types.is_string(t.value_type):
        arr, t = arr.cast(pa.string()), pa.string()
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return neutralise(arr.cast(pa.string()))
    if pa.types.is_boolean(t):
        return pc.if_else(arr, "True", "False")
    if pa.types.is_integer(t) or pa.types.is_date32(t) or pa.types.is_null(t):
        return arr.cast(pa.string())
    return _object_text(values)


def write_csv(df: pd.DataFrame, fh) -> None:
    """Write `df` with a header row to the binary file `fh` (see the module docstring)."""
    names = pa.array([str(c) for c in df.columns], type=pa.string())
    fh.write((",".join(_quoted(names).to_pylist()) + "\n").encode("utf-8"))
    if not len(df.columns):
        return
    for start in range(0, len(df), BLOCK_ROWS):
        block = df.iloc[start: start + BLOCK_ROWS]
        parts: list = []
        for column in df.columns:
            parts += [pc.fill_null(_quoted(_field_text(block[column])), ""), ","]
        if len(df.columns) == 1:  # a row of one empty field is written "" (not a blank line)
            parts[0] = pc.if_else(pc.equal(parts[0], ""), '""', parts[0])
        parts[-1] = "\n"
        fh.write(string_bytes(pc.binary_join_element_wise(*parts, "")))
