-- A local annotated with a function type checks the function assigned.
local cb: (s: string) -> integer = function(s)
    return #s
end
local bad: (s: string) -> integer = function(n: integer) -- expect-error: parameter 1 is string, not integer
    return n
end
print(cb("x"), bad)
