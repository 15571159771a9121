// nn's data: make_moons and make_spirals (shape, classes, geometry, and
// determinism for a seed), shuffling, and MiniBatches (every example once per
// epoch, a fresh order each epoch).
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {

std::size_t count(const nn::Dataset& d, int label) {
  return static_cast<std::size_t>(std::count(d.labels.begin(), d.labels.end(), label));
}

} // namespace

TEST_CASE("make_moons makes two half circles of n points, half of each class") {
  const nn::Dataset d = nn::make_moons(101, 0.0, 7);
  CHECK(d.size() == 101);
  CHECK(d.features == 2);
  CHECK(d.classes == 2);
  CHECK(d.inputs.size() == 202);
  CHECK(count(d, 0) == 51);
  CHECK(count(d, 1) == 50);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const auto p = d.input(i);
    CAPTURE(i);
    if (d.labels[i] == 0) { // (cos t, sin t): the upper unit half circle
      CHECK(p[0] * p[0] + p[1] * p[1] == doctest::Approx(1.0));
      CHECK(p[1] >= -1e-12);
    } else { // (1 - cos t, 1/2 - sin t): the lower one, shifted
      CHECK((p[0] - 1) * (p[0] - 1) + (p[1] - 0.5) * (p[1] - 0.5) == doctest::Approx(1.0));
      CHECK(p[1] <= 0.5 + 1e-12);
    }
  }
}

TEST_CASE("make_moons is the same for a seed and shuffled") {
  const nn::Dataset a = nn::make_moons(100, 0.1, 1337);
  const nn::Dataset b = nn::make_moons(100, 0.1, 1337);
  const nn::Dataset c = nn::make_moons(100, 0.1, 1338);
  CHECK(a.inputs == b.inputs);
  CHECK(a.labels == b.labels);
  CHECK(a.inputs != c.inputs);
  // Not sorted by class: the first ten labels are not all equal.
  CHECK(count(a, a.labels[0]) == 50);
  CHECK(std::adjacent_find(a.labels.begin(), a.labels.begin() + 10, std::not_equal_to<>()) !=
        a.labels.begin() + 10);
  SUBCASE("noise moves points off the circles by about its size") {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto p = a.input(i);
      const double r = a.labels[i] == 0 ? std::hypot(p[0], p[1]) : std::hypot(p[0] - 1, p[1] - 0.5);
      worst = std::max(worst, std::abs(r - 1.0));
    }
    CHECK(worst > 0.05);
    CHECK(worst < 0.6);
  }
  CHECK_THROWS_AS(nn::make_moons(1, 0.1, 0), Error);
  CHECK_THROWS_AS(nn::make_moons(10, -0.1, 0), Error);
}

TEST_CASE("make_spirals makes K arms of points within the unit disc") {
  const nn::Dataset d = nn::make_spirals(50, 4, 0.2, 3);
  CHECK(d.size() == 200);
  CHECK(d.classes == 4);
  for (int k = 0; k < 4; ++k) CHECK(count(d, k) == 50);
  std::multiset<long> radii; // r = i / (n - 1) exactly: noise only turns the angle
  for (std::size_t i = 0; i < d.size(); ++i) {
    const auto p = d.input(i);
    radii.insert(std::lround(std::hypot(p[0], p[1]) * 49));
  }
  for (long i = 0; i < 50; ++i) CHECK(radii.count(i) == 4);
  CHECK(nn::make_spirals(50, 4, 0.2, 3).inputs == d.inputs);
  CHECK_THROWS_AS(nn::make_spirals(50, 1, 0.2, 3), Error);
}

TEST_CASE("MiniBatches visits every example once per epoch, reshuffled each epoch") {
  nn::MiniBatches batches(10, 4, 99);
  std::vector<std::size_t> first, second;
  for (int b = 0; b < 3; ++b) {
    const auto batch = batches.next();
    CHECK(batch.size() == (b < 2 ? 4u : 2u));
    first.insert(first.end(), batch.begin(), batch.end());
  }
  CHECK(batches.epoch() == 0);
  for (int b = 0; b < 3; ++b) {
    const auto batch = batches.next();
    second.insert(second.end(), batch.begin(), batch.end());
  }
  CHECK(batches.epoch() == 1);
  CHECK(first != second);
  std::sort(first.begin(), first.end());
  std::sort(second.begin(), second.end());
  const std::vector<std::size_t> all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  CHECK(first == all);
  CHECK(second == all);
}

TEST_CASE("a batch size of 0 means the whole data set, in order") {
  nn::MiniBatches batches(5, 0);
  for (int step = 0; step < 3; ++step) {
    const auto batch = batches.next();
    CHECK(std::vector<std::size_t>(batch.begin(), batch.end()) ==
          std::vector<std::size_t>{0, 1, 2, 3, 4});
  }
  CHECK_THROWS_AS(nn::MiniBatches(0, 1), Error);
}

TEST_CASE("shuffle keeps each example's features with its label") {
  nn::Dataset d{.features = 2, .classes = 3, .inputs = {0, 0, 1, 10, 2, 20}, .labels = {0, 1, 2}};
  nn::shuffle(d, 5);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(d.input(i)[0] == d.labels[i]);
    CHECK(d.input(i)[1] == 10 * d.labels[i]);
  }
}
