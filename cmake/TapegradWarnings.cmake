# tapegrad_set_warnings(target): the project's warning flags on one target.
# Applied per target (not globally) so that embedding projects keep their own.
function(tapegrad_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(TAPEGRAD_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
