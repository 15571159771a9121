// nn's IDX reader: small image and label files written here, raw and gzipped
// (zlib), every kind of damage (each error naming the file and what is wrong),
// turning images and labels into a Dataset, and load_fashion_mnist() on a
// folder written here and on Debian's dataset-fashion-mnist when installed.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <tapegrad/nn.hpp>
#include <unistd.h> // getpid
#include <zlib.h>

using namespace tapegrad;
using Bytes = std::vector<std::uint8_t>;

namespace {

void put32(Bytes& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

/// An IDX3 file: `count` images of rows x columns, pixel k of the file = k % 256.
Bytes images_file(std::uint32_t count, std::uint32_t rows, std::uint32_t columns) {
  Bytes b{0, 0, 8, 3};
  put32(b, count);
  put32(b, rows);
  put32(b, columns);
  for (std::size_t k = 0; k < std::size_t{count} * rows * columns; ++k)
    b.push_back(static_cast<std::uint8_t>(k % 256));
  return b;
}

/// An IDX1 file of the given labels.
Bytes labels_file(const Bytes& labels) {
  Bytes b{0, 0, 8, 1};
  put32(b, static_cast<std::uint32_t>(labels.size()));
  b.insert(b.end(), labels.begin(), labels.end());
  return b;
}

/// `raw` as one gzip member (deflate with gzip's header and CRC trailer).
Bytes gzip(const Bytes& raw) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  Bytes out(deflateBound(&z, static_cast<uLong>(raw.size())) + 32);
  z.next_in = const_cast<Bytef*>(raw.data());
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void write(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::string error_of(const auto& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string images_error(const Bytes& b) {
  return error_of([&] { (void)nn::parse_idx_images(b, "img.idx"); });
}

/// A fresh folder under the system's temporary one, removed at the end.
struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("tapegrad_idx_" + std::to_string(::getpid()));
  TempDir() {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST_CASE("an IDX image file reads back its sizes and pixels, raw and gzipped") {
  const Bytes raw = images_file(2, 3, 4);
  for (const Bytes& bytes : {raw, gzip(raw)}) {
    const nn::IdxImages images = nn::parse_idx_images(bytes, "img");
    CHECK(images.count == 2);
    CHECK(images.rows == 3);
    CHECK(images.columns == 4);
    REQUIRE(images.pixels.size() == 24);
    CHECK(images.pixels[0] == 0);
    CHECK(images.pixels[23] == 23);
  }
  SUBCASE("gzip members one after another are one stream") {
    const Bytes one = gzip(Bytes(raw.begin(), raw.begin() + 10));
    Bytes two = gzip(Bytes(raw.begin() + 10, raw.end()));
    Bytes both = one;
    both.insert(both.end(), two.begin(), two.end());
    CHECK(nn::parse_idx_images(both, "img").pixels == nn::parse_idx_images(raw, "img").pixels);
  }
}

TEST_CASE("an IDX label file reads back its labels, raw and gzipped") {
  const Bytes raw = labels_file({3, 1, 4, 1, 5});
  CHECK(nn::parse_idx_labels(raw, "lab") == Bytes{3, 1, 4, 1, 5});
  CHECK(nn::parse_idx_labels(gzip(raw), "lab") == Bytes{3, 1, 4, 1, 5});
}

TEST_CASE("a damaged IDX file is an error naming the file and what is wrong") {
  const Bytes good = images_file(2, 3, 4);
  SUBCASE("wrong magic number: a label file read as images") {
    const std::string e = images_error(labels_file({1, 2}));
    CHECK(e.find("img.idx") != std::string::npos);
    CHECK(e.find("wrong magic number 0x00000801") != std::string::npos);
    CHECK(e.find("0x00000803") != std::string::npos);
  }
  SUBCASE("wrong magic number: another element type") {
    Bytes b = good;
    b[2] = 0x0d; // floats
    CHECK(images_error(b).find("wrong magic number 0x00000d03") != std::string::npos);
  }
  SUBCASE("too short for a header") {
    CHECK(images_error({0, 0}).find("too few for an IDX header") != std::string::npos);
    CHECK(images_error(Bytes(good.begin(), good.begin() + 10)).find("header alone takes 16") !=
          std::string::npos);
  }
  SUBCASE("pixels cut short") {
    const std::string e = images_error(Bytes(good.begin(), good.end() - 1));
    CHECK(e.find("cut short") != std::string::npos);
    CHECK(e.find("2 images of 3 x 4 pixels (24 bytes)") != std::string::npos);
    CHECK(e.find("only 23 bytes") != std::string::npos);
  }
  SUBCASE("bytes after the pixels") {
    Bytes b = good;
    b.push_back(7);
    CHECK(images_error(b).find("has 1 bytes after") != std::string::npos);
  }
  SUBCASE("a dimension of 0") {
    CHECK(images_error(images_file(2, 0, 4)).find("dimension 2 of the header is 0") !=
          std::string::npos);
    CHECK(images_error(images_file(0, 3, 4)).find("dimension 1 of the header is 0") !=
          std::string::npos);
  }
  SUBCASE("sizes too large to hold") {
    Bytes b{0, 0, 8, 3};
    put32(b, 0xffffffff);
    put32(b, 0xffffffff);
    put32(b, 0xffffffff);
    CHECK(images_error(b).find("more than") != std::string::npos);
    CHECK(error_of([&] {
            (void)nn::parse_idx_images(good, "img", {.max_bytes = 10});
          }).find("IdxLimits::max_bytes") != std::string::npos);
  }
  SUBCASE("label count disagrees with the bytes") {
    Bytes b = labels_file({1, 2, 3});
    b.pop_back();
    CHECK(error_of([&] { (void)nn::parse_idx_labels(b, "lab"); }).find("cut short") !=
          std::string::npos);
  }
  SUBCASE("gzip cut short") {
    const Bytes gz = gzip(good);
    const std::string e = images_error(Bytes(gz.begin(), gz.begin() + gz.size() / 2));
    CHECK(e.find("img.idx") != std::string::npos);
    CHECK(e.find("gzip data are cut short") != std::string::npos);
  }
  SUBCASE("gzip corrupt: a wrong checksum") {
    Bytes gz = gzip(good);
    gz[gz.size() - 8] ^= 0xff; // the CRC-32 of the trailer
    CHECK(images_error(gz).find("gzip data are corrupt") != std::string::npos);
  }
  SUBCASE("gzip corrupt: a bad block type") {
    Bytes gz = gzip(good);
    gz[10] = 0xff; // first deflate byte: final block of reserved type 3
    CHECK(images_error(gz).find("gzip data are corrupt") != std::string::npos);
  }
  SUBCASE("gzip that inflates past the limit") {
    const Bytes gz = gzip(Bytes(100000, 0));
    CHECK(error_of([&] {
            (void)nn::parse_idx_images(gz, "img", {.max_bytes = 1000});
          }).find("decompresses to more than 1000 bytes") != std::string::npos);
  }
}

TEST_CASE("images and labels make a Dataset with pixels scaled to [0, 1]") {
  const nn::IdxImages images = nn::parse_idx_images(images_file(2, 16, 16), "img");
  const nn::Dataset data = nn::to_dataset(images, Bytes{7, 0}, 10, "img", "lab");
  CHECK(data.size() == 2);
  CHECK(data.features == 256);
  CHECK(data.classes == 10);
  CHECK(data.labels == std::vector<int>{7, 0});
  CHECK(data.input(0)[0] == 0.0);
  CHECK(data.input(0)[255] == 1.0);
  CHECK(data.input(1)[1] == doctest::Approx(1.0 / 255.0));
  SUBCASE("counts that disagree name both files") {
    const std::string e = error_of([&] { (void)nn::to_dataset(images, Bytes{1}, 10, "I", "L"); });
    CHECK(e.find("I holds 2 images but L holds 1 labels") != std::string::npos);
  }
  SUBCASE("a label past the classes") {
    const std::string e = error_of([&] {
      (void)nn::to_dataset(images, Bytes{1, 10}, 10, "I", "L");
    });
    CHECK(e.find("L: label 10 (example 1) is not below the 10 classes") != std::string::npos);
  }
}

TEST_CASE("load_fashion_mnist reads a folder of four IDX files") {
  TempDir dir;
  write(dir.path / "train-images-idx3-ubyte.gz", gzip(images_file(3, 28, 28)));
  write(dir.path / "train-labels-idx1-ubyte.gz", gzip(labels_file({0, 9, 4})));
  write(dir.path / "t10k-images-idx3-ubyte", images_file(2, 28, 28)); // raw works too
  write(dir.path / "t10k-labels-idx1-ubyte.gz", gzip(labels_file({5, 6})));
  const nn::FashionMnist sets = nn::load_fashion_mnist(dir.path);
  CHECK(sets.train.size() == 3);
  CHECK(sets.test.size() == 2);
  CHECK(sets.train.features == 784);
  CHECK(sets.test.labels == std::vector<int>{5, 6});

  SUBCASE("a missing file is named, with the package that provides it") {
    std::filesystem::remove(dir.path / "t10k-labels-idx1-ubyte.gz");
    const std::string e = error_of([&] { (void)nn::load_fashion_mnist(dir.path); });
    CHECK(e.find("t10k-labels-idx1-ubyte.gz is missing") != std::string::npos);
    CHECK(e.find("dataset-fashion-mnist") != std::string::npos);
  }
  SUBCASE("image and label counts that disagree") {
    write(dir.path / "train-labels-idx1-ubyte.gz", gzip(labels_file({0, 9})));
    const std::string e = error_of([&] { (void)nn::load_fashion_mnist(dir.path); });
    CHECK(e.find("holds 3 images but") != std::string::npos);
    CHECK(e.find("train-labels-idx1-ubyte.gz holds 2 labels") != std::string::npos);
  }
  SUBCASE("a truncated file is named") {
    const Bytes gz = gzip(images_file(3, 28, 28));
    write(dir.path / "train-images-idx3-ubyte.gz", Bytes(gz.begin(), gz.end() - 20));
    const std::string e = error_of([&] { (void)nn::load_fashion_mnist(dir.path); });
    CHECK(e.find("train-images-idx3-ubyte.gz: the gzip data are cut short") != std::string::npos);
  }
}

TEST_CASE("a missing folder names Debian's dataset-fashion-mnist package") {
  const std::string e = error_of([] { (void)nn::load_fashion_mnist("/nonexistent/fashion"); });
  CHECK(e.find("/nonexistent/fashion does not exist") != std::string::npos);
  CHECK(e.find("apt-get install dataset-fashion-mnist") != std::string::npos);
  CHECK(e.find("/usr/share/datasets/fashion-mnist/") != std::string::npos);
}

namespace {
const bool fashion_installed = std::filesystem::exists(
    std::filesystem::path(nn::fashion_mnist_default_dir) / "train-images-idx3-ubyte.gz");
}

TEST_CASE("the installed Fashion-MNIST loads: 60,000 + 10,000 images of 28 x 28" *
          doctest::skip(!fashion_installed)) {
  const nn::FashionMnist sets = nn::load_fashion_mnist();
  CHECK(sets.train.size() == 60000);
  CHECK(sets.test.size() == 10000);
  CHECK(sets.train.features == 784);
  CHECK(sets.train.classes == 10);
  std::vector<int> per_class(10);
  for (const int label : sets.test.labels) ++per_class[static_cast<std::size_t>(label)];
  CHECK(per_class == std::vector<int>(10, 1000)); // the test set is balanced
  CHECK(sets.train.labels[0] == 9);               // the first training image is an ankle boot
  double lo = 1, hi = 0;
  for (const double x : sets.train.inputs) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  CHECK(lo == 0.0);
  CHECK(hi == 1.0);
}
