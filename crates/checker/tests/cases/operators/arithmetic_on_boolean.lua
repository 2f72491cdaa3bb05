-- Arithmetic on a boolean.
local function f(flag: boolean): number
    return flag + 1 -- expect-error: cannot perform arithmetic on boolean, expected number
end
print(f(true))
