# Run at install time (see invlog_install_gzipped in packaging.cmake): writes
# each of INVLOG_GZIP_FILES, compressed with `gzip -9n` (no name, no time
# stamp, so that two builds give the same bytes), into INVLOG_GZIP_DESTINATION
# under the install prefix and DESTDIR, as FILE.gz or INVLOG_GZIP_RENAME.
# Compressed here rather than committed or built: the sources stay readable
# and diffable, and every install and package compresses the same way.
if(IS_ABSOLUTE "${INVLOG_GZIP_DESTINATION}")
  set(dir "$ENV{DESTDIR}${INVLOG_GZIP_DESTINATION}")
else()
  set(dir "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/${INVLOG_GZIP_DESTINATION}")
endif()
file(MAKE_DIRECTORY "${dir}")
foreach(source IN LISTS INVLOG_GZIP_FILES)
  if(INVLOG_GZIP_RENAME)
    set(name "${INVLOG_GZIP_RENAME}")
  else()
    get_filename_component(name "${source}" NAME)
    string(APPEND name .gz)
  endif()
  message(STATUS "Installing: ${dir}/${name}")
  execute_process(COMMAND gzip -9n -c "${source}" OUTPUT_FILE "${dir}/${name}" RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip -9n ${source} failed: ${status}")
  endif()
  file(CHMOD "${dir}/${name}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${dir}/${name}")
endforeach()
