-- Returning a value that may be nil where the return is not optional.
local function name(x: string?): string
    return x -- expect-error: E0000 returned value 1 may be nil, declared string
end
print(name(nil))
