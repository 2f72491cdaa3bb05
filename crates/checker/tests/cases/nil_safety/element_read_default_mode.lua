-- In default mode an element read by index is not reported as maybe nil.
local function f(xs: {string}): integer
    return #xs[1]
end
print(f({"a"}))
