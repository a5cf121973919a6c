"""autograd.misc: flatten (parameter containers to one vector and back), optimizers and
const_graph."""
from hodiff.misc.flatten import flatten, flatten_func
from hodiff.misc.optimizers import adam, rmsprop, sgd
from hodiff.misc.tracers import const_graph

__all__ = ["adam", "const_graph", "flatten", "flatten_func", "rmsprop", "sgd"]
