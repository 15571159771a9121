// nn's CSV reader: good tables (header, blank lines, CRLF, BOM, spaces) and
// every kind of bad input, each error naming the line and column; reading
// from a file; and turning a table into a Dataset.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>

using namespace tapegrad;

TEST_CASE("a CSV table of numbers parses into columns and rows") {
  const nn::Table t = nn::parse_csv("x,y,label\n0.5,-1,0\n 2e-3 , +4 ,1\n");
  CHECK(t.columns == std::vector<std::string>{"x", "y", "label"});
  CHECK(t.rows() == 2);
  CHECK(t.row(0)[1] == -1.0);
  CHECK(t.row(1)[0] == 0.002);
  CHECK(t.row(1)[1] == 4.0);
  CHECK(t.column("label") == 2);
  CHECK_THROWS_WITH_AS((void)t.column("z"), doctest::Contains("x, y, label"), Error);
}

TEST_CASE("blank lines, CRLF, a byte-order mark and no final newline are accepted") {
  const nn::Table t = nn::parse_csv("\xEF\xBB\xBF"
                                    "a;b\r\n\r\n1;2\r\n  \n3;4",
                                    "t.csv", {.delimiter = ';'});
  CHECK(t.columns == std::vector<std::string>{"a", "b"});
  CHECK(t.cells == std::vector<double>{1, 2, 3, 4});
}

TEST_CASE("without a header every line is data") {
  const nn::Table t = nn::parse_csv("1,2\n3,4\n", "t.csv", {.header = false});
  CHECK(t.rows() == 2);
  CHECK(t.columns.size() == 2);
}

TEST_CASE("a malformed cell is an error naming the file, line and column") {
  SUBCASE("not a number") {
    CHECK_THROWS_WITH_AS(nn::parse_csv("x,y\n1,2\n3,abc\n", "data.csv"),
                         "data.csv:3:3: cell 2 'abc' is not a number. Write numbers like 12, "
                         "-0.5 or 3e-4.",
                         Error);
  }
  SUBCASE("trailing junk") {
    CHECK_THROWS_WITH_AS(nn::parse_csv("x\n1.5x\n", "d.csv"), doctest::Contains("d.csv:2:1:"),
                         Error);
  }
  SUBCASE("an empty cell") {
    CHECK_THROWS_WITH_AS(nn::parse_csv("x,y\n1,\n", "d.csv"),
                         doctest::Contains("d.csv:2:3: cell 2 is empty"), Error);
  }
  SUBCASE("NaN and Inf text") {
    for (const char* bad : {"nan", "NaN", "inf", "-Infinity"}) {
      CAPTURE(bad);
      CHECK_THROWS_WITH_AS(nn::parse_csv(std::string("x,y\n1, ") + bad + "\n", "d.csv"),
                           doctest::Contains("d.csv:2:4: cell 2"), Error);
      CHECK_THROWS_WITH_AS(nn::parse_csv(std::string("x,y\n1, ") + bad + "\n", "d.csv"),
                           doctest::Contains("not a finite number"), Error);
    }
  }
  SUBCASE("out of a double's range") {
    CHECK_THROWS_WITH_AS(nn::parse_csv("x\n1e999\n", "d.csv"),
                         doctest::Contains("d.csv:2:1: cell 1 '1e999' is out of the range"), Error);
  }
}

TEST_CASE("ragged rows, empty files and overlong lines are errors") {
  CHECK_THROWS_WITH_AS(nn::parse_csv("a,b\n1,2\n3,4,5\n", "r.csv"),
                       "r.csv:3:5: this row has 3 cells but the header has 2. Every row needs "
                       "one cell per column.",
                       Error);
  CHECK_THROWS_WITH_AS(nn::parse_csv("a,b\n1\n", "r.csv"),
                       doctest::Contains("r.csv:2:2: this row has 1"), Error);
  CHECK_THROWS_WITH_AS(nn::parse_csv("", "e.csv"),
                       doctest::Contains("e.csv:1:1: the file is empty"), Error);
  CHECK_THROWS_WITH_AS(nn::parse_csv("\n \n", "e.csv"), doctest::Contains("the file is empty"),
                       Error);
  CHECK_THROWS_WITH_AS(nn::parse_csv("a,b\n", "h.csv"), doctest::Contains("no rows"), Error);
  CHECK_THROWS_WITH_AS(nn::parse_csv("a,,b\n1,2,3\n", "h.csv"),
                       doctest::Contains("h.csv:1:3: header cell 2 is empty"), Error);
  const std::string long_line = "a\n" + std::string(100, '1') + "\n";
  CHECK_THROWS_WITH_AS(nn::parse_csv(long_line, "l.csv", {.max_line_length = 50}),
                       doctest::Contains("l.csv:2:51: the line is 100 bytes long"), Error);
}

TEST_CASE("read_csv reads a file and names it in errors") {
  const auto dir = std::filesystem::temp_directory_path();
  const auto good = dir / "tapegrad_nn_csv_good.csv";
  const auto bad = dir / "tapegrad_nn_csv_bad.csv";
  std::ofstream(good) << "x,label\n0.5,1\n-0.5,0\n";
  std::ofstream(bad) << "x,label\n0.5,1\n-0.5,zero\n";
  const nn::Table t = nn::read_csv(good);
  CHECK(t.rows() == 2);
  const std::string where = bad.string() + ":3:6:";
  CHECK_THROWS_WITH_AS(nn::read_csv(bad), doctest::Contains(where.c_str()), Error);
  CHECK_THROWS_WITH_AS(nn::read_csv(dir / "tapegrad_no_such_file.csv"),
                       doctest::Contains("cannot open"), Error);

  SUBCASE("and a table becomes a Dataset with a label column") {
    const nn::Dataset d = nn::to_dataset(t, "label");
    CHECK(d.features == 1);
    CHECK(d.classes == 2);
    CHECK(d.labels == std::vector<int>{1, 0});
    CHECK(d.inputs == std::vector<double>{0.5, -0.5});
    CHECK_THROWS_AS(nn::to_dataset(nn::parse_csv("x,label\n1,0.5\n"), "label"), Error);
  }
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
}
