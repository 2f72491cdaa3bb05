-- `#x` of an optional parameter.
local function f(x: {integer}?): integer
    return #x -- expect-error: E0000 the operand of `#` may be nil (`x` is declared {integer}?)
end
print(f(nil))
