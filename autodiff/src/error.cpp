// tapegrad::Error: defined out of line so the class has one home (and one
// typeinfo) in the library, which lets it cross shared-library boundaries.
#include "tapegrad/error.hpp"

namespace tapegrad {

Error::Error(const std::string& message) : std::runtime_error(message) {}

} // namespace tapegrad
