// The sweep as a web page (tapegrad/html.hpp): nothing fetched, names shown as
// typed, one step per node that backward() visits, the numbers to 6 digits,
// clear errors for a bad output or path, and a short page for a huge graph.
// tests/browser opens the pages in Chromium.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <tapegrad/autodiff.hpp>
#include <tapegrad/nn.hpp>

using namespace tapegrad;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

/// The README's 30-second example: the seed network and its BCE loss.
struct Seed {
  Tape tape;
  Value x = tape.var(0.5, "x");
  Value w1 = tape.var(0.2, "w1"), b1 = tape.var(0.1, "b1");
  Value w2 = tape.var(0.4, "w2"), b2 = tape.var(0.2, "b2");
  Value y_hat = sigmoid(w2 * sigmoid(w1 * x + b1) + b2);
  Value loss = -(1.0 * log(y_hat) + 0.0 * log(1 - y_hat));
};

/// The number of nodes backward() visits from `out`: those with a gradient.
std::size_t visited(Tape& tape, Value out) {
  out.backward();
  std::size_t n = 0;
  for (Index i = 0; i < tape.size(); ++i) n += tape.grad(i) != 0.0;
  return n;
}

std::string read(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("the page fetches nothing: no links, no sources, no network addresses") {
  Seed s;
  const std::string page = to_html(s.tape, s.loss);
  CHECK(page.starts_with("<!DOCTYPE html>"));
  for (const char* outside :
       {"http:", "https:", "//cdn", "src=", "<link", "@import", "url(", "<iframe"})
    CHECK_MESSAGE(!has(page, outside), outside);
  CHECK(has(page, "<style>"));
  CHECK(has(page, "<svg"));
  CHECK(count(page, "<script") == 2); // the sweep's data and the script that shows it
}

TEST_CASE("names are shown as typed: escaped for HTML and inside the script's data") {
  Tape tape;
  const Value a = tape.var(2.0, "<b>&\"</script><!--");
  const Value y = (a * a).named("it's");
  const std::string page = to_html(tape, y);
  CHECK(!has(page, "<b>"));
  CHECK(!has(page, "<!--"));
  CHECK(count(page, "</script") == 2);              // only the page's own two elements end
  CHECK(has(page, "&lt;b&gt;&amp;&quot;&lt;/scr")); // in the box (shortened) and the tooltip
  CHECK(has(page, "#0 &lt;b&gt;&amp;&quot;&lt;/script&gt;&lt;!--"));
  CHECK(has(page, "\"0\":\"\\u003cb\\u003e\\u0026\\\"\\u003c/script\\u003e\\u003c!--\""));
  CHECK(has(page, "it&#39;s"));
}

TEST_CASE("one step per node that backward() visits, in its order") {
  SUBCASE("the seed: 16 of its 18 nodes (log(1 - y_hat) gets 0 × its gradient)") {
    Seed s;
    const std::string page = to_html(s.tape, s.loss);
    CHECK(visited(s.tape, s.loss) == 16);
    CHECK(has(page, "step 0 of 16"));
    CHECK(has(page, "max=\"16\""));
    CHECK(count(page, "data-node=") == 18);
    // The first step is the output with gradient 1, the second what it passes on.
    CHECK(has(page, fmt::format("\"steps\":[[{},\"1\",[[{},\"-1\",\"-1\"]]]", s.loss.index(),
                                s.loss.index() - 1)));
  }
  SUBCASE("a dead ReLU: the nodes below it are drawn but never visited") {
    Tape tape;
    const Value w = tape.var(-1.0, "w"), b = tape.var(0.5, "b");
    const Value unused = tape.var(3.0, "unused");
    const Value out = (relu(w * 2.0 + b) + b * b).named("out");
    (void)(out * unused); // recorded after out: not drawn
    const std::string page = to_html(tape, out);
    CHECK(visited(tape, out) == 4); // out, relu, b*b, b; w*2 + b gets 0 × relu's gradient
    CHECK(has(page, "step 0 of 4"));
    CHECK(count(page, "data-node=") == 7); // w, b, w*2, +b, relu, b*b, out
    CHECK(!has(page, "unused"));
  }
  SUBCASE("a leaf as the output: one step") {
    Tape tape;
    const Value x = tape.var(1.5, "x");
    CHECK(has(to_html(tape, x), "step 0 of 1"));
  }
}

TEST_CASE("every value, partial and gradient is in the page, to 6 significant digits") {
  Seed s;
  const std::string page = to_html(s.tape, s.loss);
  CHECK(has(page, "value 0.505063"));   // the loss
  CHECK(has(page, "value 0.603467"));   // y_hat
  CHECK(has(page, ">0.549834</text>")); // a partial: d(w2 a1)/d(w2) = a1
  for (const char* grad : {"\"-0.218027\"", "\"-0.396533\"", "\"-0.0196297\"", "\"-0.0392594\""})
    CHECK_MESSAGE(has(page, grad), grad);
  // Step 0 shows no gradient: the boxes' gradient lines start empty.
  CHECK(count(page, "<text class=\"grad\" x=\"8\" y=\"64\"></text>") == 18);
}

TEST_CASE("to_html reads the tape and changes nothing on it") {
  Seed s;
  (void)to_html(s.tape, s.loss);
  CHECK(s.w2.grad() == 0.0); // no backward() inside
  s.loss.backward();
  const double before = s.w1.grad();
  (void)to_html(s.tape, s.y_hat); // another output
  CHECK(s.w1.grad() == before);
}

TEST_CASE("to_html refuses an empty, foreign or stale output") {
  Seed s;
  CHECK_THROWS_WITH_AS(to_html(s.tape, Value{}), doctest::Contains("empty"), Error);
  Tape other;
  const Value z = other.var(1.0);
  CHECK_THROWS_WITH_AS(to_html(s.tape, z), doctest::Contains("another Tape"), Error);
  const Tape::Mark mark = s.tape.mark();
  const Value gone = s.loss * 2.0;
  s.tape.rewind(mark);
  CHECK_THROWS_AS(to_html(s.tape, gone), Error);
  CHECK_THROWS_AS(write_html(s.tape, gone, fs::temp_directory_path() / "tapegrad_never.html"),
                  Error);
  CHECK(!fs::exists(fs::temp_directory_path() / "tapegrad_never.html"));
}

TEST_CASE("write_html writes the page, and fails clearly leaving no file") {
  Seed s;
  const fs::path dir = fs::temp_directory_path() / fmt::format("tapegrad_html_{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path page = dir / "seed.html";
  write_html(s.tape, s.loss, page);
  CHECK(read(page) == to_html(s.tape, s.loss));
  write_html(s.tape, s.y_hat, page); // replaces it
  CHECK(read(page) == to_html(s.tape, s.y_hat));

  SUBCASE("a folder that does not exist") {
    const fs::path missing = dir / "no such folder" / "page.html";
    CHECK_THROWS_WITH_AS(write_html(s.tape, s.loss, missing),
                         doctest::Contains(missing.string().c_str()), Error);
    CHECK(!fs::exists(missing.parent_path()));
  }
  SUBCASE("a path that is a folder") {
    const fs::path folder = dir / "folder.html";
    fs::create_directories(folder);
    CHECK_THROWS_WITH_AS(write_html(s.tape, s.loss, folder),
                         doctest::Contains(folder.string().c_str()), Error);
    CHECK(fs::is_directory(folder));
  }
  // Nothing is left behind: the page and the folder, no temporary file.
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir)) left.push_back(entry.path().filename());
  std::sort(left.begin(), left.end());
  CHECK((left == std::vector<std::string>{"seed.html"} ||
         left == std::vector<std::string>{"folder.html", "seed.html"}));
  fs::remove_all(dir);
}

TEST_CASE("a ~700-node MLP is drawn whole; a graph past html_max_nodes gets a short page") {
  SUBCASE("an MLP 2-16-16-16-1 on one sample") {
    Tape tape;
    nn::MLP model(tape, 2, {16, 16, 16, 1}, {.seed = 1337});
    const double sample[2] = {0.5, -0.25};
    const Value loss = nn::hinge(model(sample)[0], 1.0);
    const std::string page = to_html(tape, loss);
    CHECK(count(page, "data-node=") == tape.size());
    CHECK(has(page, fmt::format("step 0 of {}", visited(tape, loss))));
  }
  SUBCASE("a chain longer than the limit") {
    Tape tape;
    Value x = tape.var(1.0, "x");
    for (std::size_t k = 0; k < html_max_nodes; ++k) x = x * 1.0;
    const std::string page = to_html(tape, x);
    CHECK(has(page, fmt::format("depends on {} nodes", html_max_nodes + 1)));
    CHECK(has(page, fmt::format("at most {} nodes", html_max_nodes)));
    CHECK(!has(page, "<svg"));
    CHECK(!has(page, "<script"));
  }
}
