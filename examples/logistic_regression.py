"""Logistic regression trained by gradient descent: the HIPS autograd tutorial's example (seed 001).

Run: python examples/logistic_regression.py
"""
import hodiff.numpy as np
from hodiff import grad
from hodiff.test_util import check_grads


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2.0) + 1)


def logistic_predictions(weights, inputs):
    # Outputs probability of a label being true according to logistic model.
    return sigmoid(np.dot(inputs, weights))


def training_loss(weights):
    # Training loss is the negative log-likelihood of the training labels.
    preds = logistic_predictions(weights, inputs)
    label_probabilities = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probabilities))


# Build a toy dataset.
inputs = np.array([[0.52, 1.12, 0.77],
                   [0.88, -1.08, 0.15],
                   [0.52, 0.06, -1.30],
                   [0.74, -2.49, 1.39]])
targets = np.array([True, True, False, True])

# A function that returns gradients of the training loss.
training_gradient_fun = grad(training_loss)

# Check the gradient (and the Hessian, in every forward/reverse combination) numerically.
weights = np.array([0.0, 0.0, 0.0])
check_grads(training_loss, order=2)(weights)
print("Gradient check passed.")

# Optimize weights using gradient descent.
print("Initial loss:", training_loss(weights))
for _ in range(100):
    weights -= training_gradient_fun(weights) * 0.01
print("Trained loss:", training_loss(weights))
print("Trained weights:", weights)
print("Predictions:", logistic_predictions(weights, inputs).round(3), "targets:", targets)
