"""autograd.misc: flatten (parameter containers to one vector and back) and optimizers."""
from hodiff.misc.flatten import flatten, flatten_func
from hodiff.misc.optimizers import adam, rmsprop, sgd

__all__ = ["adam", "flatten", "flatten_func", "rmsprop", "sgd"]
