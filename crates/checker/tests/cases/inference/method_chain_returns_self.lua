-- Manifest builders return `self`: the chain keeps the receiver's type.
local l = logger:with({ a = 1 }):named("x")
l:info("ok")
l:infoo("x") -- expect-error: no method `infoo` on logger.Logger
