// The overload set for std::visit: std::visit(overloaded{[](A) {}, [](B) {}}, v).
#pragma once

namespace invlog::util {

template <class... Fs>
struct overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

}  // namespace invlog::util
