// The four workloads in plain doubles: their inputs, their primal (the
// computation without derivatives) and a reference gradient derived by hand.
//
// Every backend (tapegrad, ADOL-C) computes exactly these functions; the
// primal times here are the denominators of the suite's ratios, and the hand
// gradients are what each backend is checked against at start-up.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace bench {

// --- chain: f(x) = sum_i log(1 + exp(x_i x_(i+1))) sigmoid(x_i) --------------

/// n inputs in [-1, 1], the same on every call.
std::vector<double> chain_inputs(std::size_t n);
/// f(x), as a user would write it in doubles.
double chain_primal(std::span<const double> x);
/// df/dx, derived by hand, into g (same length as x).
void chain_gradient(std::span<const double> x, std::span<double> g);

// --- poly: Rosenbrock f(x) = sum_i 100 (x_(i+1) - x_i^2)^2 + (1 - x_i)^2 ------

/// n inputs in [-1.5, 1.5], the same on every call.
std::vector<double> poly_inputs(std::size_t n);
double poly_primal(std::span<const double> x);
void poly_gradient(std::span<const double> x, std::span<double> g);

// --- seed_step: the seed homework's 1-1-1 network -----------------------------

/// x, y and the parameters w1, b1, w2, b2 of the seed homework.
struct Seed {
  double x = 0.5, y = 1.0, w1 = 0.2, b1 = 0.1, w2 = 0.4, b2 = 0.2;
};
/// Binary cross-entropy loss -(y log y^ + (1-y) log(1-y^)) of
/// y^ = sigmoid(w2 sigmoid(w1 x + b1) + b2).
double seed_primal(const Seed& s);
/// dL/d(w1, b1, w2, b2), by hand.
std::array<double, 4> seed_gradient(const Seed& s);
/// The seed's learning rate.
inline constexpr double seed_learning_rate = 0.1;

// --- mlp_step: micrograd's moons step, MLP 2 -> 16 -> 16 -> 1 ------------------

inline constexpr std::size_t mlp_points = 100;
inline constexpr std::size_t mlp_hidden = 16;
/// Parameters: W1 (16x2), b1 (16), W2 (16x16), b2 (16), w3 (16), b3 (1).
inline constexpr std::size_t mlp_parameters = 16 * 2 + 16 + 16 * 16 + 16 + 16 + 1;
inline constexpr double mlp_learning_rate = 0.01;
inline constexpr double mlp_l2 = 1e-4;

/// Where each parameter block starts in the flat parameter vector.
struct MlpLayout {
  static constexpr std::size_t w1 = 0, b1 = w1 + 32, w2 = b1 + 16, b2 = w2 + 256, w3 = b2 + 16,
                               b3 = w3 + 16;
};

/// Two interleaving half circles ("moons") with labels -1 and +1, and a
/// little deterministic noise: the data of micrograd's demo.
struct Moons {
  std::vector<std::array<double, 2>> x;
  std::vector<double> y;
};
Moons make_moons();
/// Initial parameters, uniform in [-1, 1] from a fixed seed.
std::vector<double> mlp_initial_parameters();
/// mean_i relu(1 - y_i score_i) + 1e-4 sum p^2: the forward pass in doubles.
double mlp_primal(std::span<const double> params, const Moons& data);

/// d(loss)/d(params) by central differences on mlp_primal (error ~1e-10).
std::vector<double> mlp_reference_gradient(std::span<const double> params, const Moons& data);

/// max |a_i - b_i| / max(1, |b_i|): how far a gradient is from a reference.
double max_relative_error(std::span<const double> a, std::span<const double> b);

} // namespace bench
