-- Calling a callback parameter checks its declared signature.
local function twice(f: (x: integer) -> integer): integer
    return f(f(1, 2)) -- expect-error: `f` expects 1 argument, got 2
end
print(twice(function(x)
    return x
end))
