// Hiding secret option values (a MongoDB URI with a password) from `ps`:
// once CLI11 has copied the arguments, their text in argv is overwritten.
#pragma once

namespace invlog::cli {

// Overwrites, in place, the password of the value of every --uri option.
void hide_secret_arguments(int argc, char** argv);

}  // namespace invlog::cli
