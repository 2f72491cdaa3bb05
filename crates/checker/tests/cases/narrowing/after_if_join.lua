-- After an `if` that assigns on one branch, the value joins both.
local function f(x: string?): integer
    if not x then
        x = "default"
    end
    return #x
end
print(f(nil))
