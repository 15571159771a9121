// nn's model files: the documented text format, a bit-identical round trip,
// the atomic save, and every way a file can be bad (truncated at any byte,
// corrupted, another version, another shape) giving tapegrad::Error with the
// model left exactly as it was.
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <csignal>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

namespace {

std::vector<std::uint64_t> bits(const nn::Module& m) {
  std::vector<std::uint64_t> out;
  for (const double x : m.parameter_values()) out.push_back(std::bit_cast<std::uint64_t>(x));
  return out;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

/// A fresh, empty folder for one test.
std::filesystem::path scratch(const char* name) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Values whose decimal forms are hard to round-trip.
const std::vector<double> tricky = {0.1,
                                    1.0 / 3.0,
                                    -0.0,
                                    5e-324,
                                    1e308,
                                    -2.5e-310,
                                    1e-7,
                                    123456,
                                    std::nextafter(1.0, 2.0),
                                    -0.3,
                                    2.0 / 7.0,
                                    6.0,
                                    -1e-300,
                                    0.5,
                                    1e23,
                                    -9.87654321e-5,
                                    42.0};

} // namespace

TEST_CASE("the file starts with the version line, shape and count, and ends with 'end'") {
  Tape tape;
  nn::MLP model(tape, 2, {4, 1}, {.seed = 1});
  const std::string text = nn::format_parameters(model);
  CHECK(text.starts_with("tapegrad-parameters 1\nshape MLP(2, [4, 1], relu, linear)\ncount 17\n"));
  CHECK(text.ends_with("\nend\n"));
  CHECK(text.find("\nchecksum ") != std::string::npos);
  std::istringstream lines(text);
  std::string line;
  for (int i = 0; i < 4; ++i) std::getline(lines, line);
  CHECK(line == fmt::format("{}", model.parameter_values()[0])); // line 4: parameter 0
}

TEST_CASE("save then load restores every parameter bit for bit") {
  const auto dir = scratch("tapegrad_nn_io_roundtrip");
  Tape tape;
  nn::MLP saved(tape, 2, {4, 1});
  saved.set_parameter_values(tricky);
  nn::save_parameters(saved, dir / "model.txt");
  nn::MLP loaded(tape, 2, {4, 1}, {.seed = 99});
  CHECK(bits(loaded) != bits(saved));
  nn::load_parameters(loaded, dir / "model.txt");
  CHECK(bits(loaded) == bits(saved));
  SUBCASE("and a trained model's outputs are the same afterwards") {
    CHECK(loaded.predict(std::array{0.3, -0.2}) == saved.predict(std::array{0.3, -0.2}));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a save replaces the old file atomically and leaves no temporary file") {
  const auto dir = scratch("tapegrad_nn_io_atomic");
  const auto path = dir / "model.txt";
  Tape tape;
  nn::MLP model(tape, 2, {3, 1}, {.seed = 1});
  nn::save_parameters(model, path);
  const std::string first = read(path);
  model.set_parameter_values(std::vector<double>(13, 0.25));
  nn::save_parameters(model, path);
  CHECK(read(path) != first);
  CHECK(read(path) == nn::format_parameters(model));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 1);

  SUBCASE("a save that fails leaves the old file as it was") {
    const std::string before = read(path);
    model.parameters()[0].set_value(std::numeric_limits<double>::quiet_NaN());
    CHECK_THROWS_WITH_AS(nn::save_parameters(model, path), doctest::Contains("diverged"), Error);
    CHECK(read(path) == before);
  }
  SUBCASE("a folder that does not exist is a clear error") {
    CHECK_THROWS_WITH_AS(nn::save_parameters(model, dir / "missing" / "model.txt"),
                         doctest::Contains("No such file or directory"), Error);
  }
  std::filesystem::remove_all(dir);
}

namespace {

/// How many files the folder holds (a left-over temporary file counts).
std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  return files;
}

} // namespace

TEST_CASE("a save cut short by a full disk leaves the previous file whole and loadable") {
  // A file-size limit (setrlimit RLIMIT_FSIZE, SIGXFSZ ignored) makes write()
  // fail with EFBIG partway through the new file, as a full disk would. It is
  // set in a child process so that the test's own files are not limited.
  const auto dir = scratch("tapegrad_nn_io_fsize");
  const auto path = dir / "model.txt";
  Tape tape;
  nn::MLP model(tape, 2, {64, 1}, {.seed = 1});
  nn::save_parameters(model, path);
  const std::string old_text = read(path);
  const std::vector<std::uint64_t> old_bits = bits(model);

  model.set_parameter_values(std::vector<double>(model.parameter_count(), 1.0 / 3.0));
  const std::string new_text = nn::format_parameters(model);
  REQUIRE(new_text.size() > 1000);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlim_t limit = new_text.size() / 2; // the new file stops halfway
    const rlimit small{limit, limit};
    if (::setrlimit(RLIMIT_FSIZE, &small) != 0) ::_exit(3);
    try {
      nn::save_parameters(model, path);
    } catch (const Error& e) {
      // The error names what failed (writing, or fsync) and why.
      ::_exit(std::string(e.what()).find("too large") != std::string::npos ? 0 : 2);
    }
    ::_exit(1); // the save should have failed
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK_MESSAGE(WEXITSTATUS(status) == 0, "child: 1 = the save succeeded, 2 = unclear error");
  CHECK(read(path) == old_text);
  CHECK(files_in(dir) == 1); // no temporary file left behind
  nn::MLP loaded(tape, 2, {64, 1}, {.seed = 2});
  nn::load_parameters(loaded, path);
  CHECK(bits(loaded) == old_bits);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a reader that opened the old file before a save still reads it whole") {
  const auto dir = scratch("tapegrad_nn_io_reader");
  const auto path = dir / "model.txt";
  Tape tape;
  nn::MLP model(tape, 2, {64, 1}, {.seed = 1});
  nn::save_parameters(model, path);
  const std::string old_text = read(path);
  const std::vector<std::uint64_t> old_bits = bits(model);

  std::ifstream reader(path, std::ios::binary); // opened before the new save
  REQUIRE(reader);
  model.set_parameter_values(std::vector<double>(model.parameter_count(), 0.5));
  nn::save_parameters(model, path);
  nn::save_parameters(model, path); // twice: the old file's space is not reused under the reader
  std::ostringstream seen;
  seen << reader.rdbuf();
  CHECK(seen.str() == old_text);
  nn::MLP loaded(tape, 2, {64, 1}, {.seed = 2});
  nn::parse_parameters(loaded, seen.str(), "the reader's copy");
  CHECK(bits(loaded) == old_bits);
  CHECK(read(path) == nn::format_parameters(model)); // and the path has the new model
  std::filesystem::remove_all(dir);
}

TEST_CASE("a file cut short at any byte is refused and the model is untouched") {
  Tape tape;
  nn::MLP source(tape, 2, {2, 1}, {.seed = 3});
  const std::string text = nn::format_parameters(source);
  nn::MLP model(tape, 2, {2, 1}, {.seed = 4});
  const auto before = bits(model);
  std::size_t refused = 0;
  for (std::size_t length = 0; length + 1 < text.size(); ++length) {
    try {
      nn::parse_parameters(model, std::string_view(text).substr(0, length), "cut.txt");
    } catch (const Error&) {
      ++refused;
    }
    if (bits(model) != before) FAIL("a cut file changed the model at length " << length);
  }
  CHECK(refused == text.size() - 1);
  // Only the final newline may be missing.
  nn::parse_parameters(model, std::string_view(text).substr(0, text.size() - 1));
  CHECK(bits(model) == bits(source));
}

TEST_CASE("corrupt, foreign and mismatched files are refused with a reason") {
  Tape tape;
  nn::MLP model(tape, 2, {2, 1}, {.seed = 5});
  nn::MLP other(tape, 2, {2, 1}, {.seed = 6});
  const std::string good = nn::format_parameters(other);
  const auto before = bits(model);
  const auto refuses = [&](const std::string& text, const char* reason) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(nn::parse_parameters(model, text, "m.txt"), doctest::Contains(reason),
                         Error);
    CHECK(bits(model) == before);
  };
  const auto replace = [&good](std::string_view from, std::string_view to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::string first_value = fmt::format("\n{}\n", other.parameter_values()[0]);

  SUBCASE("another version") { refuses(replace("parameters 1", "parameters 2"), "version 2"); }
  SUBCASE("not a model file") { refuses("x,y\n1,2\n", "not a tapegrad parameter file"); }
  SUBCASE("another shape") {
    refuses(replace("MLP(2, [2, 1]", "MLP(2, [3, 1]"), "holds the parameters of MLP(2, [3, 1]");
  }
  SUBCASE("other activations") {
    refuses(replace("relu, linear", "tanh, linear"), "but the model is MLP(2, [2, 1], relu");
  }
  SUBCASE("a wrong count") { refuses(replace("count 9", "count 8"), "'count 8'"); }
  SUBCASE("a value that is not a number") {
    refuses(replace(first_value, "\n0.5.5\n"), "line 4 should hold a finite number");
  }
  SUBCASE("a NaN value") { refuses(replace(first_value, "\nnan\n"), "line 4"); }
  SUBCASE("a changed digit") { refuses(replace(first_value, "\n0.123\n"), "checksum"); }
  SUBCASE("a garbled checksum") { refuses(replace("checksum ", "checksum z"), "checksum"); }
  SUBCASE("something after 'end'") { refuses(good + "more\n", "more after 'end'"); }
  SUBCASE("a missing 'end'") { refuses(replace("end\n", "fin\n"), "should be 'end'"); }
  SUBCASE("but a file without a checksum line (written by hand) loads") {
    const std::size_t at = good.find("checksum ");
    const std::string hand = good.substr(0, at) + "end\n";
    nn::parse_parameters(model, hand);
    CHECK(bits(model) == bits(other));
  }
}

TEST_CASE("loading a file that does not exist is a clear error") {
  Tape tape;
  nn::MLP model(tape, 1, {1});
  CHECK_THROWS_WITH_AS(nn::load_parameters(model, "/nonexistent/tapegrad/model.txt"),
                       doctest::Contains("cannot open"), Error);
}

TEST_CASE("the checksum is FNV-1a 64 of the values' bits") {
  CHECK(nn::parameters_checksum({}) == 0xcbf29ce484222325ULL); // the offset basis
  // One value 0.0: eight zero bytes, each step hash = (hash ^ 0) * prime.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < 8; ++i) h *= 0x100000001b3ULL;
  CHECK(nn::parameters_checksum(std::array{0.0}) == h);
}
