// IDX reader: gunzip (zlib, streamed, with a cap on the output), then the
// header (magic 00 00 08 <dimensions>, then one big-endian 32-bit size per
// dimension), then exactly as many bytes as the sizes announce. Errors say
// "tapegrad::nn: <file>: what is wrong. What to do."
#include "tapegrad/nn/idx.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <zlib.h>

#include <tapegrad/error.hpp>

namespace tapegrad::nn {

namespace {

[[noreturn]] void fail(std::string_view name, std::string_view what) {
  throw Error(fmt::format("tapegrad::nn: {}: {}", name, what));
}

constexpr std::size_t images_dimensions = 3;
constexpr std::size_t labels_dimensions = 1;

/// The sizes of an IDX header of `dimensions` dimensions of unsigned bytes,
/// after checking the magic number; `body` is set to the bytes after it.
std::array<std::size_t, 3> parse_header(std::span<const std::uint8_t> bytes, std::size_t dimensions,
                                        std::string_view name,
                                        std::span<const std::uint8_t>& body) {
  const std::size_t header = 4 + 4 * dimensions;
  const char* kind = dimensions == images_dimensions ? "image" : "label";
  // 00 00 08 nn: two zero bytes, type 08 (unsigned byte), nn dimensions.
  const unsigned expected = 0x00000800u | static_cast<unsigned>(dimensions);
  if (bytes.size() < 4)
    fail(name, fmt::format("has {} bytes, too few for an IDX header. Is it an IDX {} file?",
                           bytes.size(), kind));
  const unsigned magic =
      static_cast<unsigned>(bytes[0]) << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3];
  if (magic != expected)
    fail(name, fmt::format("wrong magic number 0x{:08x}: an IDX {} file starts with 0x{:08x} "
                           "(unsigned bytes, {} dimension{}).",
                           magic, kind, expected, dimensions, dimensions == 1 ? "" : "s"));
  if (bytes.size() < header)
    fail(name, fmt::format("is cut short: {} bytes, but the header alone takes {}.", bytes.size(),
                           header));
  std::array<std::size_t, 3> sizes{};
  for (std::size_t d = 0; d < dimensions; ++d) {
    const std::uint8_t* p = bytes.data() + 4 + 4 * d;
    sizes[d] = static_cast<std::size_t>(std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 |
                                        std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]});
    if (sizes[d] == 0)
      fail(name,
           fmt::format("dimension {} of the header is 0: the file holds no {}s.", d + 1, kind));
  }
  body = bytes.subspan(header);
  return sizes;
}

/// Checks that `body` holds exactly the `wanted` bytes the header announces.
void check_body(std::span<const std::uint8_t> body, std::size_t wanted, std::string_view what,
                std::string_view name) {
  if (body.size() < wanted)
    fail(name, fmt::format("is cut short: the header announces {} but only {} bytes follow it.",
                           what, body.size()));
  if (body.size() > wanted)
    fail(name, fmt::format("has {} bytes after the {} the header announces. Is the header's size "
                           "right, or two files joined?",
                           body.size() - wanted, what));
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string(), fmt::format("cannot open it: {}.", std::strerror(errno)));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) fail(path.string(), "reading it failed.");
  return bytes;
}

} // namespace

std::vector<std::uint8_t> maybe_gunzip(std::span<const std::uint8_t> bytes, std::string_view name,
                                       IdxLimits limits) {
  if (bytes.size() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return {bytes.begin(), bytes.end()};
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) fail(name, "zlib could not start inflating.");
  struct End {
    z_stream& z;
    ~End() { inflateEnd(&z); }
  } end{z};
  std::vector<std::uint8_t> out;
  constexpr std::size_t chunk = std::size_t{1} << 16;
  z.next_in = const_cast<Bytef*>(bytes.data()); // zlib's API is not const-correct
  std::size_t in_left = bytes.size();
  for (;;) {
    const uInt feed = static_cast<uInt>(std::min<std::size_t>(in_left, 1u << 30));
    z.avail_in = feed;
    if (out.size() >= limits.max_bytes)
      fail(name, fmt::format("decompresses to more than {} bytes, the reader's limit "
                             "(IdxLimits::max_bytes).",
                             limits.max_bytes));
    const std::size_t room = std::min(chunk, limits.max_bytes - out.size());
    const std::size_t before = out.size();
    out.resize(before + room);
    z.next_out = out.data() + before;
    z.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&z, Z_NO_FLUSH);
    out.resize(before + room - z.avail_out);
    in_left -= feed - z.avail_in;
    if (rc == Z_STREAM_END) {
      if (in_left == 0) return out;
      if (inflateReset(&z) != Z_OK) fail(name, "zlib could not restart inflating.");
      continue; // gzip allows members one after another
    }
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR)
      fail(name, fmt::format("the gzip data are corrupt ({}). Download or reinstall the file.",
                             z.msg != nullptr ? z.msg : "zlib gives no reason"));
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc == Z_BUF_ERROR && in_left == 0)
      fail(name, "the gzip data are cut short (the stream ends before its end mark). The file "
                 "is truncated: download or reinstall it.");
    if (rc != Z_OK && rc != Z_BUF_ERROR) fail(name, fmt::format("zlib failed with code {}.", rc));
  }
}

IdxImages parse_idx_images(std::span<const std::uint8_t> bytes, std::string_view name,
                           IdxLimits limits) {
  const std::vector<std::uint8_t> data = maybe_gunzip(bytes, name, limits);
  std::span<const std::uint8_t> body;
  const auto [count, rows, columns] = parse_header(data, images_dimensions, name, body);
  const std::size_t pixels = rows * columns; // each < 2^32: no overflow in 64 bits
  static_assert(sizeof(std::size_t) >= 8, "IDX sizes need 64-bit size_t");
  const bool overflows = count > std::numeric_limits<std::size_t>::max() / pixels;
  const std::size_t wanted = overflows ? 0 : count * pixels;
  if (overflows || wanted > limits.max_bytes)
    fail(name, fmt::format("the header announces {} images of {} x {} pixels, more than {} bytes "
                           "(IdxLimits::max_bytes) and more than the file holds.",
                           count, rows, columns, limits.max_bytes));
  check_body(body, wanted,
             fmt::format("{} images of {} x {} pixels ({} bytes)", count, rows, columns, wanted),
             name);
  return IdxImages{
      .count = count, .rows = rows, .columns = columns, .pixels = {body.begin(), body.end()}};
}

std::vector<std::uint8_t> parse_idx_labels(std::span<const std::uint8_t> bytes,
                                           std::string_view name, IdxLimits limits) {
  const std::vector<std::uint8_t> data = maybe_gunzip(bytes, name, limits);
  std::span<const std::uint8_t> body;
  const std::size_t count = parse_header(data, labels_dimensions, name, body)[0];
  check_body(body, count, fmt::format("{} labels", count), name);
  return {body.begin(), body.end()};
}

IdxImages read_idx_images(const std::filesystem::path& path, IdxLimits limits) {
  return parse_idx_images(read_file(path), path.string(), limits);
}

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path, IdxLimits limits) {
  return parse_idx_labels(read_file(path), path.string(), limits);
}

Dataset to_dataset(const IdxImages& images, std::span<const std::uint8_t> labels,
                   std::size_t classes, std::string_view images_name,
                   std::string_view labels_name) {
  if (images.count != labels.size())
    throw Error(fmt::format("tapegrad::nn: {} holds {} images but {} holds {} labels: the counts "
                            "must agree. Are the two files from the same set (train or t10k)?",
                            images_name, images.count, labels_name, labels.size()));
  Dataset data;
  data.features = images.rows * images.columns;
  data.classes = classes;
  data.labels.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= classes)
      throw Error(fmt::format("tapegrad::nn: {}: label {} (example {}) is not below the {} "
                              "classes.",
                              labels_name, labels[i], i, classes));
    data.labels.push_back(labels[i]);
  }
  data.inputs.reserve(images.pixels.size());
  for (const std::uint8_t p : images.pixels) data.inputs.push_back(static_cast<double>(p) / 255.0);
  return data;
}

namespace {

std::filesystem::path find_file(const std::filesystem::path& dir, std::string_view stem) {
  std::filesystem::path gz = dir / (std::string(stem) + ".gz");
  if (std::filesystem::exists(gz)) return gz;
  std::filesystem::path raw = dir / std::string(stem);
  if (std::filesystem::exists(raw)) return raw;
  throw Error(fmt::format("tapegrad::nn: {} is missing from {} (neither {} nor {}). Debian's "
                          "dataset-fashion-mnist package provides all four files in {}/.",
                          gz.filename().string(), dir.string(), gz.string(), raw.string(),
                          fashion_mnist_default_dir));
}

Dataset load_pair(const std::filesystem::path& dir, std::string_view prefix) {
  const auto images_path = find_file(dir, fmt::format("{}-images-idx3-ubyte", prefix));
  const auto labels_path = find_file(dir, fmt::format("{}-labels-idx1-ubyte", prefix));
  const IdxImages images = read_idx_images(images_path);
  const std::vector<std::uint8_t> labels = read_idx_labels(labels_path);
  return to_dataset(images, labels, fashion_mnist_classes.size(), images_path.string(),
                    labels_path.string());
}

} // namespace

FashionMnist load_fashion_mnist(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(fmt::format(
        "tapegrad::nn: the Fashion-MNIST folder {} does not exist. Install Debian's "
        "dataset-fashion-mnist package (apt-get install dataset-fashion-mnist), which provides "
        "{}/, or give the folder that holds train-images-idx3-ubyte.gz and the three other files.",
        dir.string(), fashion_mnist_default_dir));
  FashionMnist sets{.train = load_pair(dir, "train"), .test = load_pair(dir, "t10k")};
  if (sets.train.features != sets.test.features)
    throw Error(fmt::format("tapegrad::nn: {}: the training images have {} pixels and the test "
                            "images {}: they must be the same size.",
                            dir.string(), sets.train.features, sets.test.features));
  return sets;
}

} // namespace tapegrad::nn
