// Training end to end: micrograd's moons setup reaches 100% training accuracy
// with a fixed seed; the Trainer reports loss and accuracy, uses the schedule,
// leaves the tape at the parameters, and trains a softmax classifier on
// spirals with Adam and mini-batches.
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

TEST_CASE("micrograd's moons setup reaches 100% training accuracy (seed 1337)") {
  const nn::Dataset data = nn::make_moons(100, 0.1, 1337);
  Tape tape;
  nn::MLP model(tape, 2, {16, 16, 1}, {.seed = 1337});
  nn::SGD sgd(model.parameters(), {.lr = 1.0});
  nn::Trainer trainer(model, sgd, data,
                      {.loss = nn::Loss::hinge,
                       .l2 = 1e-4,
                       .schedule = nn::LinearDecay{.start = 1.0, .end = 0.1, .steps = 100}});
  std::vector<nn::StepReport> history;
  trainer.run(100, [&](const nn::StepReport& r) { history.push_back(r); });
  REQUIRE(history.size() == 100);
  CHECK(history.front().accuracy < 0.95);
  CHECK(history.back().loss < history.front().loss / 5);
  CHECK(history[0].lr == 1.0);
  CHECK(history[99].lr == doctest::Approx(0.109));
  CHECK(trainer.evaluate().accuracy == 1.0);
  CHECK(tape.size() == 337); // every step rewound to the parameters
  SUBCASE("and predict() agrees: every point on its side of the boundary") {
    for (std::size_t i = 0; i < data.size(); ++i)
      CHECK((model.predict(data.input(i))[0] > 0) == (data.labels[i] == 1));
  }
}

TEST_CASE("a step reports the loss before the update, and evaluate() changes nothing") {
  const nn::Dataset data = nn::make_moons(20, 0.1, 2);
  Tape tape;
  nn::MLP model(tape, 2, {4, 1}, {.seed = 2});
  nn::SGD sgd(model.parameters(), {.lr = 0.1});
  nn::Trainer trainer(model, sgd, data, {.loss = nn::Loss::mse});
  const std::vector<double> before = model.parameter_values();
  const nn::StepReport e = trainer.evaluate();
  CHECK(model.parameter_values() == before);
  const nn::StepReport s = trainer.step();
  CHECK(s.loss == e.loss);
  CHECK(s.accuracy == e.accuracy);
  CHECK(s.step == 0);
  CHECK(model.parameter_values() != before);
  CHECK(trainer.evaluate().loss < e.loss);
  CHECK(trainer.steps() == 1);
}

TEST_CASE("the loss the Trainer reports is the mean loss plus the L2 term") {
  nn::Dataset data{.features = 1, .classes = 2, .inputs = {1.0, -2.0}, .labels = {1, 0}};
  Tape tape;
  nn::MLP model(tape, 1, {1});
  model.set_parameter_values(std::array{0.5, 0.25}); // score = 0.25 + 0.5 x
  nn::SGD sgd(model.parameters(), {.lr = 0.0});
  SUBCASE("hinge") {
    // scores 0.75 (t = +1) and -0.75 (t = -1): hinge 0.25 each; L2 = 0.25 + 0.0625
    nn::Trainer t(model, sgd, data, {.loss = nn::Loss::hinge, .l2 = 0.1});
    CHECK(t.step().loss == doctest::Approx(0.25 + 0.1 * 0.3125));
  }
  SUBCASE("binary cross-entropy of the logits") {
    nn::Trainer t(model, sgd, data, {.loss = nn::Loss::binary_cross_entropy});
    CHECK(t.step().loss == doctest::Approx(std::log1p(std::exp(-0.75))));
  }
  SUBCASE("accuracy counts 'score > 0' as class 1") {
    nn::Trainer t(model, sgd, data);
    CHECK(t.step().accuracy == 1.0);
  }
}

TEST_CASE("a softmax classifier learns three spirals with Adam and mini-batches") {
  const nn::Dataset data = nn::make_spirals(40, 3, 0.1, 7);
  Tape tape;
  nn::MLP model(tape, 2, {24, 24, 3}, {.init = nn::Init::he_uniform, .seed = 7});
  nn::Adam adam(model.parameters(), {.lr = 0.02});
  nn::Trainer trainer(model, adam, data,
                      {.loss = nn::Loss::softmax_cross_entropy, .batch_size = 40, .seed = 7});
  const nn::StepReport start = trainer.evaluate();
  trainer.run(300, [](const nn::StepReport&) {});
  const nn::StepReport end = trainer.evaluate();
  CHECK(end.loss < start.loss / 4);
  CHECK(end.accuracy >= 0.95);
}

TEST_CASE("data that do not fit the model or the loss are refused") {
  Tape tape;
  nn::MLP model(tape, 2, {3, 1});
  nn::SGD sgd(model.parameters());
  const nn::Dataset three = nn::make_spirals(5, 3, 0.0, 1);
  CHECK_THROWS_WITH_AS(nn::Trainer(model, sgd, three), doctest::Contains("do not fit"), Error);
  CHECK_THROWS_AS(nn::Trainer(model, sgd, three, {.loss = nn::Loss::softmax_cross_entropy}), Error);
  nn::Dataset bad_label{.features = 2, .classes = 2, .inputs = {0, 0}, .labels = {2}};
  CHECK_THROWS_WITH_AS(nn::Trainer(model, sgd, bad_label), doctest::Contains("label 2"), Error);
}

TEST_CASE("a step that throws leaves only the parameters on the tape") {
  const nn::Dataset data = nn::make_moons(10, 0.1, 1);
  Tape tape;
  nn::MLP model(tape, 2, {3, 1});
  nn::SGD sgd(model.parameters());
  nn::Trainer trainer(model, sgd, data);
  tape.set_detect_anomaly(true);
  model.parameters()[2].set_value(std::numeric_limits<double>::quiet_NaN()); // a bias
  CHECK_THROWS_AS(trainer.step(), Error);
  CHECK(tape.size() == model.parameter_count());
  CHECK_THROWS_AS(trainer.evaluate(), Error);
  CHECK(tape.size() == model.parameter_count());
}
