"""Review: the rules (:mod:`xner.review.rules`), one annotator's pass through a dataset
(:mod:`xner.review.queue`), and files in and out (:mod:`xner.review.files`). The
decisions themselves are kept by :mod:`xner.store`."""

from xner.review.files import (export_bytes, import_jsonl, import_pairs, import_parallel, read_parallel_upload,
                               read_upload)

__all__ = ["export_bytes", "import_jsonl", "import_pairs", "import_parallel", "read_parallel_upload", "read_upload"]
