-- Booleans are not ordered.
local function f(a: boolean, b: boolean): boolean
    return a < b -- expect-error: cannot compare boolean, expected a number or a string
end
print(f(true, false))
