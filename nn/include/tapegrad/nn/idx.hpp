// IDX files (the format of MNIST and Fashion-MNIST): a big-endian header that
// gives the element type and the size of each dimension, then the elements.
// The reader takes raw or gzipped files (zlib), checks every size against the
// bytes there are, and names the file and what is wrong when it refuses one.
// load_fashion_mnist() turns Debian's dataset-fashion-mnist into Datasets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "tapegrad/nn/datasets.hpp"
#include "tapegrad/nn_export.hpp"

namespace tapegrad::nn {

/// Limits on what the reader accepts; the defaults fit MNIST-sized files.
struct IdxLimits {
  std::size_t max_bytes = std::size_t{1} << 30; ///< refuse files that decompress to more
};

/// An IDX file of unsigned bytes: images (3 dimensions: count, rows, columns)
/// or labels (1 dimension: count).
struct IdxImages {
  std::size_t count = 0;            ///< number of images
  std::size_t rows = 0;             ///< pixels per column
  std::size_t columns = 0;          ///< pixels per row
  std::vector<std::uint8_t> pixels; ///< count * rows * columns bytes, image after image
};

/// The bytes of a file, gunzipped if they start with gzip's magic (1f 8b).
/// Throws tapegrad::Error naming `name` if the stream is corrupt or cut short,
/// or decompresses to more than limits.max_bytes.
TAPEGRAD_NN_EXPORT std::vector<std::uint8_t>
maybe_gunzip(std::span<const std::uint8_t> bytes, std::string_view name, IdxLimits limits = {});

/// Parses an IDX3 image file (magic 0x00000803), raw or gzipped. Throws
/// tapegrad::Error naming `name` on a wrong magic number, a zero or
/// overflowing dimension, or a size that disagrees with the bytes present.
TAPEGRAD_NN_EXPORT IdxImages parse_idx_images(std::span<const std::uint8_t> bytes,
                                              std::string_view name, IdxLimits limits = {});
/// Parses an IDX1 label file (magic 0x00000801), raw or gzipped.
TAPEGRAD_NN_EXPORT std::vector<std::uint8_t>
parse_idx_labels(std::span<const std::uint8_t> bytes, std::string_view name, IdxLimits limits = {});

/// read_idx_images(path): the file's bytes through parse_idx_images.
TAPEGRAD_NN_EXPORT IdxImages read_idx_images(const std::filesystem::path& path,
                                             IdxLimits limits = {});
/// read_idx_labels(path): the file's bytes through parse_idx_labels.
TAPEGRAD_NN_EXPORT std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path,
                                                             IdxLimits limits = {});

/// Images and labels as a Dataset: one feature per pixel, scaled to [0, 1]
/// (byte / 255), `classes` classes. Throws tapegrad::Error naming both files
/// if the counts disagree or a label is not below `classes`.
TAPEGRAD_NN_EXPORT Dataset to_dataset(const IdxImages& images, std::span<const std::uint8_t> labels,
                                      std::size_t classes, std::string_view images_name,
                                      std::string_view labels_name);

/// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr std::string_view fashion_mnist_default_dir = "/usr/share/datasets/fashion-mnist";

/// Fashion-MNIST's ten classes, in label order.
inline constexpr std::array<std::string_view, 10> fashion_mnist_classes = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

/// Fashion-MNIST's training set (60,000 images) and test set (10,000).
struct FashionMnist {
  Dataset train; ///< 28 x 28 = 784 features in [0, 1], 10 classes
  Dataset test;  ///< the same, from the t10k files
};

/// Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
/// and t10k-labels-idx1-ubyte from `dir` (each with or without .gz). Throws
/// tapegrad::Error if the folder or a file is missing (naming the Debian
/// package that provides them) or a file is corrupt.
TAPEGRAD_NN_EXPORT FashionMnist
load_fashion_mnist(const std::filesystem::path& dir = fashion_mnist_default_dir);

} // namespace tapegrad::nn
