"""One program core: a checked program's expressions lowered once into a normal form (nodes), and every backend made
from that form: evaluation as closures (interpreter, fx tracing, tensor and float closures) and Python syntax (the
built function, reproduce scripts)."""
