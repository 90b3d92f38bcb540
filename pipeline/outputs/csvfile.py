"""A CSV writer that gives exactly the bytes pandas' `to_csv` gives, 3-4x faster: built
column-wise with Arrow string kernels in blocks of rows (moved out of `xlsx.py`)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.outputs.xlsx import BLOCK_ROWS, string_buffer


def _csv_needs_quotes() -> str:
    """The characters that make Python's csv module (what pandas' to_csv uses) quote a field,
    with a "\\n" line terminator: the delimiter, the quote, the terminator and, on newer
    Pythons, carriage returns. Probed, so the fast writer quotes exactly the same fields."""
    import csv
    import io

    special = [",", '"', "\n"]
    probe = io.StringIO()
    csv.writer(probe, lineterminator="\n").writerow(["a\rb", "x"])
    if probe.getvalue().startswith('"'):
        special.append("\r")
    return "[" + "".join({"\n": "\\n", "\r": "\\r"}.get(c, c) for c in special) + "]"


_CSV_QUOTE = _csv_needs_quotes()


def _csv_text(values: pd.Series) -> pa.Array | None:
    """One column as CSV field text ('' for missing), or None when the column is of a type
    this writer does not render exactly like pandas (the caller then uses pandas)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return None
    if pd.api.types.is_float_dtype(values.dtype):
        # pandas writes floats as Python's repr does (3.0, 1e-05); Arrow would write 3, 1e-05
        text = pa.array([None if v != v else repr(float(v)) for v in values.tolist()],
                        type=pa.string())
        return pc.fill_null(text, "")
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        text = arr.cast(pa.string())
        if pc.any(pc.match_substring_regex(text, _CSV_QUOTE)).as_py():
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
            text = pc.if_else(pc.match_substring_regex(text, _CSV_QUOTE), quoted, text)
    elif pa.types.is_integer(t) or pa.types.is_date32(t) or pa.types.is_null(t):
        text = arr.cast(pa.string())
    else:
        return None
    return pc.fill_null(text, "")


def write_csv(df: pd.DataFrame, fh) -> None:
    """Write `df` as pandas' `df.to_csv(fh, index=False, date_format="%Y-%m-%d",
    lineterminator="\\n")` would (same bytes), built column-wise with Arrow in blocks of rows.
    Frames with a column type it does not handle exactly (booleans, timestamps, mixed objects)
    are written by pandas itself."""
    texts_ok = all(
        pd.api.types.is_integer_dtype(df[c].dtype) or pd.api.types.is_float_dtype(df[c].dtype)
        or pd.api.types.is_string_dtype(df[c].dtype) or df[c].dtype == object
        for c in df.columns
    )
    blocks: list[bytes | memoryview] = []
    header = ",".join(str(c) for c in df.columns)
    names = pa.array([str(c) for c in df.columns], type=pa.string())
    if texts_ok and not pc.any(pc.match_substring_regex(names, _CSV_QUOTE)).as_py():
        blocks.append((header + "\n").encode("utf-8"))
        for start in range(0, len(df), BLOCK_ROWS):
            block = df.iloc[start: start + BLOCK_ROWS]
            cols = [_csv_text(block[c]) for c in df.columns]
            if any(c is None for c in cols):
                blocks = []
                break
            parts: list = []
            for col in cols:
                parts += [col, ","]
            parts[-1] = "\n"
            blocks.append(string_buffer(pc.binary_join_element_wise(*parts, "")))
        else:
            for b in blocks:
                fh.write(b)
            return
    df.to_csv(fh, index=False, date_format="%Y-%m-%d", lineterminator="\n")
