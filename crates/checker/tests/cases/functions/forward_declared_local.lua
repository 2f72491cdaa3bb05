-- `local f` then `function f()`: the local takes the function's type.
local helper
function helper(a: string): string
    return a
end
print(helper("x"))
print(helper(1)) -- expect-error: argument 1 (a) is integer, not string
