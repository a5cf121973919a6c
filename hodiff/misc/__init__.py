"""autograd.misc: flatten (parameter containers to one vector and back), optimizers,
const_graph, and fixed points with implicit derivatives."""
from hodiff.misc import fixed_points
from hodiff.misc.fixed_points import fixed_point
from hodiff.misc.flatten import flatten, flatten_func
from hodiff.misc.optimizers import adam, rmsprop, sgd
from hodiff.misc.tracers import const_graph

__all__ = ["adam", "const_graph", "fixed_point", "fixed_points", "flatten", "flatten_func",
           "rmsprop", "sgd"]
