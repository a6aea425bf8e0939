# The hardening flags Debian builds its packages with (dpkg-buildflags,
# hardening=+bindnow): stack protector, glibc's fortified functions, and a
# read-only GOT bound at start-up. Applied to the programs that are installed
# (the executable, its core library and the two modules), not to the tests.
# Left out of the sanitizer and fuzzing builds, whose instrumentation
# replaces the same checks, and fortification out of the unoptimised Debug
# build, where glibc cannot apply it (and warns, which -Werror turns into an
# error).
option(INVLOG_HARDEN "Build the installed programs with hardening flags" ON)
if(INVLOG_HARDEN AND NOT INVLOG_SANITIZE AND NOT INVLOG_FUZZ)
  foreach(target IN ITEMS invlog_core invlog invlog_mongo_objects invlog_http_objects)
    # -U first: a compiler that defines _FORTIFY_SOURCE itself (Ubuntu's)
    # would warn about the redefinition.
    target_compile_options(${target} PRIVATE -fstack-protector-strong
      "$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
  endforeach()
  foreach(target IN ITEMS invlog invlog_mongo invlog_http)
    target_link_options(${target} PRIVATE LINKER:-z,relro,-z,now)
  endforeach()
endif()
