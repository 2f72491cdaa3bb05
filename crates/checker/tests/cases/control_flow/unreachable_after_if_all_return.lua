-- After an `if` whose every branch returns, nothing runs.
local function f(b: boolean): integer
    if b then
        return 1
    else
        return 2
    end
    print("never") -- expect-hint: E0009 unreachable code
end
print(f(true))
