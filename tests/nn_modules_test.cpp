// nn's modules: Neuron, Layer and MLP shapes and parameter counts, micrograd's
// parameter order, the forward pass against a hand computation, the choice of
// activations, and deterministic initialisation from nn::Rng.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

TEST_CASE("MLP(2, [16, 16, 1]) has micrograd's 337 parameters") {
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1});
  // (2+1)*16 + (16+1)*16 + (16+1)*1 = 48 + 272 + 17
  CHECK(model.parameter_count() == 337);
  CHECK(model.parameters().size() == 337);
  CHECK(tape.size() == 337); // parameters are the only nodes until the model is called
  CHECK(model.layers().size() == 3);
  CHECK(model.inputs() == 2);
  CHECK(model.outputs() == 1);
  CHECK(model.shape() == "MLP(2, [16, 16, 1], relu, linear)");
  CHECK(model.layers()[0].shape() == "Layer(2, 16, relu)");
  CHECK(model.layers()[2].neurons()[0].shape() == "Neuron(16, linear)");
}

TEST_CASE("parameters() come layer by layer, neuron by neuron, weights then bias") {
  Tape tape;
  nn::MLP model(tape, 2, {3, 1});
  const std::vector<Value> p = model.parameters();
  REQUIRE(p.size() == 13);
  CHECK(p[0].name() == "L0.N0.w0");
  CHECK(p[1].name() == "L0.N0.w1");
  CHECK(p[2].name() == "L0.N0.b");
  CHECK(p[3].name() == "L0.N1.w0");
  CHECK(p[8].name() == "L0.N2.b");
  CHECK(p[9].name() == "L1.N0.w0");
  CHECK(p[12].name() == "L1.N0.b");
  SUBCASE("and biases start at 0") {
    for (const std::size_t i : {2, 5, 8, 12}) CHECK(p[i].value() == 0.0);
  }
}

TEST_CASE("a forward pass equals a hand computation") {
  Tape tape;
  nn::MLP model(tape, 2, {2, 1}); // relu hidden layer, linear output
  // L0.N0: w = (0.5, -1), b = 0.1;  L0.N1: w = (2, 1), b = -3;  L1.N0: w = (1.5, -2), b = 0.25
  const std::array<double, 9> values = {0.5, -1.0, 0.1, 2.0, 1.0, -3.0, 1.5, -2.0, 0.25};
  model.set_parameter_values(values);
  // x = (2, 0.5): h0 = relu(0.1 + 1 - 0.5) = 0.6, h1 = relu(-3 + 4 + 0.5) = 1.5,
  // y = 0.25 + 1.5 * 0.6 - 2 * 1.5 = -1.85
  const std::vector<Value> y = model({2.0, 0.5});
  REQUIRE(y.size() == 1);
  CHECK(y[0].value() == doctest::Approx(-1.85).epsilon(1e-15));

  SUBCASE("and its gradient, too") {
    y[0].backward();
    const std::vector<Value> p = model.parameters();
    CHECK(p[6].grad() == doctest::Approx(0.6));  // dy/dv0 = h0
    CHECK(p[7].grad() == doctest::Approx(1.5));  // dy/dv1 = h1
    CHECK(p[0].grad() == doctest::Approx(3.0));  // dy/dw00 = v0 * x0 = 1.5 * 2
    CHECK(p[4].grad() == doctest::Approx(-1.0)); // dy/dw11 = v1 * x1 = -2 * 0.5
    CHECK(p[5].grad() == doctest::Approx(-2.0)); // dy/db1 = v1
  }
  SUBCASE("a hidden unit below zero passes no gradient back") {
    const std::vector<Value> z = model({0.0, 3.0}); // h0 = relu(0.1 - 3) = 0
    z[0].backward();
    CHECK(model.parameters()[0].grad() == 0.0);
    CHECK(model.parameters()[2].grad() == 0.0);
  }
}

TEST_CASE("the model takes doubles, spans and Values, and forward() agrees with predict()") {
  Tape tape;
  nn::MLP model(tape, 2, {4, 3}, {.hidden = nn::Activation::tanh, .seed = 5});
  const std::array<double, 2> x = {0.3, -0.7};
  const std::vector<Value> a = model(x);
  const std::vector<Value> b = model({0.3, -0.7});
  const Value u = tape.var(0.3), v = tape.var(-0.7);
  const std::vector<Value> c = model({u, v});
  const std::vector<double> d = model.predict(x);
  const std::span<const Value> e = model.forward(x);
  REQUIRE(a.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(a[k].value() == b[k].value());
    CHECK(a[k].value() == c[k].value());
    CHECK(a[k].value() == d[k]); // bit for bit
    CHECK(a[k].value() == e[k].value());
  }
  SUBCASE("Value inputs get gradients") {
    c[0].backward();
    CHECK(u.grad() != 0.0);
  }
}

TEST_CASE("every activation can be chosen for hidden and output layers") {
  const std::array<double, 1> x = {0.4};
  for (const nn::Activation act : {nn::Activation::linear, nn::Activation::relu,
                                   nn::Activation::tanh, nn::Activation::sigmoid}) {
    CAPTURE(nn::to_string(act));
    Tape tape;
    nn::MLP model(tape, 1, {1, 1}, {.hidden = act, .output = act});
    model.set_parameter_values(std::array{-2.0, 0.5, 3.0, -0.25});
    const double h = nn::activate(act, 0.5 - 2.0 * 0.4);
    const double y = nn::activate(act, -0.25 + 3.0 * h);
    CHECK(model(x)[0].value() == doctest::Approx(y).epsilon(1e-15));
  }
  CHECK(nn::activate(nn::Activation::sigmoid, -800.0) == 0.0); // no overflow
  CHECK(nn::activate(nn::Activation::sigmoid, 800.0) == 1.0);
}

TEST_CASE("a hidden layer of width 1 works (micrograd's Layer breaks there)") {
  Tape tape;
  nn::MLP model(tape, 3, {1, 1, 2});
  CHECK(model.parameter_count() == 4 + 2 + 4);
  const std::vector<Value> y = model({1.0, 2.0, 3.0});
  CHECK(y.size() == 2);
  const Value total = y[0] + y[1];
  CHECK_NOTHROW(total.backward());
}

TEST_CASE("bad shapes and inputs throw tapegrad::Error with the shape in the message") {
  Tape tape;
  CHECK_THROWS_AS(nn::MLP(tape, 0, {1}), Error);
  CHECK_THROWS_AS(nn::MLP(tape, 2, {}), Error);
  CHECK_THROWS_AS(nn::MLP(tape, 2, {4, 0, 1}), Error);
  nn::MLP model(tape, 2, {3, 1});
  CHECK_THROWS_WITH_AS(static_cast<void>(model({1.0, 2.0, 3.0})),
                       doctest::Contains("MLP(2, [3, 1], relu, linear) takes 2 inputs"), Error);
  CHECK_THROWS_AS(model.set_parameter_values(std::vector<double>(12, 0.0)), Error);
}

TEST_CASE("the same seed gives the same weights, another seed other weights") {
  Tape tape;
  nn::MLP a(tape, 2, {8, 1}, {.seed = 42});
  nn::MLP b(tape, 2, {8, 1}, {.seed = 42});
  nn::MLP c(tape, 2, {8, 1}, {.seed = 43});
  CHECK(a.parameter_values() == b.parameter_values());
  CHECK(a.parameter_values() != c.parameter_values());
  SUBCASE("weights are Rng draws in parameters() order, biases 0") {
    nn::Rng rng(42);
    const std::vector<double> p = a.parameter_values();
    CHECK(p[0] == rng.uniform(-1.0, 1.0));
    CHECK(p[1] == rng.uniform(-1.0, 1.0));
    CHECK(p[2] == 0.0);
    CHECK(p[3] == rng.uniform(-1.0, 1.0));
    // The first draw of seed 42, from an independent implementation (Python).
    CHECK(p[0] == -0.8322740578802357);
  }
  SUBCASE("he_uniform scales the range by sqrt(6 / inputs)") {
    nn::MLP h(tape, 24, {4}, {.init = nn::Init::he_uniform, .seed = 42});
    nn::Rng rng(42);
    CHECK(h.parameter_values()[0] == rng.uniform(-0.5, 0.5)); // sqrt(6/24) = 0.5
    for (const double w : h.parameter_values()) CHECK(std::abs(w) <= 0.5);
  }
}

TEST_CASE("Rng reproduces the reference splitmix64 and xoshiro256** outputs") {
  std::uint64_t state = 0;
  CHECK(nn::splitmix64(state) == 0xe220a8397b1dcdafULL);
  CHECK(nn::splitmix64(state) == 0x6e789e6aa1b965f4ULL);
  CHECK(nn::splitmix64(state) == 0x06c45d188009454fULL);
  nn::Rng rng = nn::Rng::from_state(1, 2, 3, 4);
  CHECK(rng.next() == 11520u);
  CHECK(rng.next() == 0u);
  CHECK(rng.next() == 1509978240u);
  CHECK(rng.next() == 1215971899390074240u);
  SUBCASE("uniform() maps the top 53 bits into [0, 1)") {
    nn::Rng r(42);
    CHECK(r.uniform() == 0.08386297105988216);
    CHECK(r.uniform() == 0.3789802506626686);
  }
  SUBCASE("below(n) stays below n and normal() is roughly standard") {
    nn::Rng r(7);
    double total = 0.0, squares = 0.0;
    std::uint64_t largest = 0;
    for (int i = 0; i < 20000; ++i) {
      largest = std::max(largest, r.below(3));
      const double z = r.normal();
      total += z, squares += z * z;
    }
    CHECK(largest == 2u);
    CHECK(std::abs(total / 20000) < 0.05);
    CHECK(std::abs(squares / 20000 - 1.0) < 0.05);
  }
}

TEST_CASE("Neuron and Layer work on their own, micrograd style") {
  Tape tape;
  nn::Rng rng(3);
  nn::Neuron n(tape, 2, nn::Activation::relu, rng);
  n.set_parameter_values(std::array{1.0, 2.0, 0.5});
  CHECK(n(std::array{1.0, 1.0}).value() == 3.5);
  CHECK(n.predict(std::array{-1.0, -1.0}) == 0.0);
  CHECK(n.parameters().size() == 3);
  nn::Layer layer(tape, 2, 3, nn::Activation::linear, rng);
  CHECK(layer.parameter_count() == 9);
  CHECK(layer(std::array{1.0, 1.0}).size() == 3);
  SUBCASE("zero_grad() clears the gradients backward() left") {
    n(std::array{1.0, 1.0}).backward();
    CHECK(n.weights()[0].grad() == 1.0);
    n.zero_grad();
    CHECK(n.weights()[0].grad() == 0.0);
  }
}

// A Layer records all its neurons' weighted sums with one linear() call, then
// their activations: each output must be what the neuron alone computes, on
// Value inputs and on constant ones, with the same gradients.
TEST_CASE("a Layer's outputs and gradients are its neurons', one by one") {
  Tape tape;
  nn::Rng rng(11);
  nn::Layer layer(tape, 3, 4, nn::Activation::tanh, rng);
  for (std::size_t j = 0; j < layer.outputs(); ++j) // biases start at 0: make them count
    layer.neurons()[j].bias().set_value(0.25 * static_cast<double>(j) - 0.3);
  const std::array<double, 3> data = {0.5, -1.25, 2.0};
  const std::array<Value, 3> inputs = {tape.var(0.5), tape.var(-1.25), tape.var(2.0)};
  const std::vector<Value> from_data = layer(data), from_values = layer(inputs);
  const auto neurons = layer.neurons();
  std::vector<double> predicted(4);
  layer.predict(data, predicted);
  for (std::size_t j = 0; j < neurons.size(); ++j) {
    CAPTURE(j);
    CHECK(from_data[j].value() == neurons[j](data).value());
    CHECK(from_values[j].value() == neurons[j](inputs).value());
    CHECK(from_data[j].value() == predicted[j]);
  }
  const Value total = from_values[0] + 2.0 * from_values[3];
  total.backward();
  const std::vector<Value> params = layer.parameters();
  std::vector<double> layer_grads;
  for (const Value& p : params) layer_grads.push_back(p.grad());
  const std::array<double, 3> input_grads = {inputs[0].grad(), inputs[1].grad(), inputs[2].grad()};
  const Value by_neurons = neurons[0](inputs) + 2.0 * neurons[3](inputs);
  by_neurons.backward();
  for (std::size_t k = 0; k < params.size(); ++k) CHECK(layer_grads[k] == params[k].grad());
  for (std::size_t i = 0; i < inputs.size(); ++i) CHECK(input_grads[i] == inputs[i].grad());
}

TEST_CASE("a Layer refuses the wrong number of inputs or outputs, naming its shape") {
  Tape tape;
  nn::Rng rng(5);
  const nn::Layer layer(tape, 2, 3, nn::Activation::relu, rng);
  const std::array<double, 3> three = {1.0, 2.0, 3.0};
  const std::array<double, 2> two = {1.0, 2.0};
  std::array<Value, 2> small_out;
  std::array<double, 3> predicted{};
  const std::size_t size = tape.size();
  CHECK_THROWS_WITH_AS(static_cast<void>(layer(three)),
                       doctest::Contains("Layer(2, 3, relu) got 3 inputs. Pass exactly 2"), Error);
  CHECK_THROWS_WITH_AS(layer.forward(two, small_out),
                       doctest::Contains("writes 3 outputs but was given room for 2"), Error);
  CHECK_THROWS_WITH_AS(layer.predict(three, predicted), doctest::Contains("got 3 inputs"), Error);
  CHECK(tape.size() == size);
}
