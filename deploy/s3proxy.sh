# S3Proxy (an S3 API on a folder; the jar the build copies to ftp-server/target/s3proxy/) as deploy/cluster.sh
# and bench/storage.sh start it. Source this file, do not run it.

# s3proxy_jar ROOT: prints the jar's path, fetching it with Maven first when missing (never with
# SELECTFTP_NO_BUILD=1: then a missing jar is an error).
s3proxy_jar() {
  local jar=$1/ftp-server/target/s3proxy/s3proxy.jar
  if [[ ! -f $jar && ${SELECTFTP_NO_BUILD:-} == 1 ]]; then
    echo "no $jar and SELECTFTP_NO_BUILD=1: run mvn -B package -DskipTests first" >&2
    return 1
  elif [[ ! -f $jar ]]; then
    echo "fetching S3Proxy (mvn generate-test-resources)..." >&2
    (cd "$1" && mvn -B -q -pl ftp-server -am generate-test-resources) >&2
  fi
  echo "$jar"
}

# s3proxy_config DIR PORT IDENTITY CREDENTIAL BUCKET: writes DIR/s3proxy.conf, the filesystem backend in
# DIR/data with BUCKET a folder of it, served on 127.0.0.1:PORT (AWS signatures v2 or v4).
s3proxy_config() {
  mkdir -p "$1/data/$5"
  cat > "$1/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$2
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$3
s3proxy.credential=$4
jclouds.provider=filesystem
jclouds.filesystem.basedir=$1/data
CONF
}
